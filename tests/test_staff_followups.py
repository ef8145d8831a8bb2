"""The agent's follow-up queue: preview, edit, approve, reschedule, skip, replied; who sees it."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.followups.dispatch import dispatch_due
from portal.models import OutboxEmail, PropertyAgent
from portal.models.base import utcnow
from tests.factories import STAFF_PASSWORD, gen_prospect, gen_staff
from tests.followups_helpers import complete, context, gen_community, gen_tour, messages_of
from tests.sql_statements import recorded


@pytest.fixture
def reviewed(app, fixed_clock):
    """A prospect after a tour at a community whose agent reviews every message."""
    prop, unit, tour_type = gen_community(send_mode="review")
    agent = gen_staff("agent")
    db.session.add(PropertyAgent(property_id=prop.id, staff_id=agent.id))
    prospect = gen_prospect(name="Pia Virtanen")
    complete(gen_tour(tour_type, prospect, unit=unit), now=fixed_clock - timedelta(hours=2))
    db.session.commit()
    return agent, prospect, messages_of(prospect)[0]


def _sign_in(auth, staff):
    assert auth.login(staff.email, STAFF_PASSWORD).status_code == 302


def test_agent_sees_the_preview_exactly_as_it_will_be_sent(client, auth, reviewed):
    """The queue shows the subject and the text the outbox would get now."""
    agent, prospect, message = reviewed
    _sign_in(auth, agent)
    page = client.get(f"/staff/prospects/{prospect.id}/followups")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Awaiting your review" in html
    assert "Hello Pia," in html
    frame = client.get(f"/staff/prospects/{prospect.id}/followups/{message.id}/preview.html")
    assert frame.status_code == 200
    assert "sandbox" in frame.headers["Content-Security-Policy"]


def test_edit_then_approve_sends_the_agents_words(app, client, auth, reviewed):
    """An edited, approved message goes out with the agent's text and the same Message-ID."""
    agent, prospect, message = reviewed
    _sign_in(auth, agent)
    path = f"/staff/prospects/{prospect.id}/followups/{message.id}"
    answer = client.post(f"{path}/edit", data={"subject": "Lovely to meet you", "text": "Hi Pia!"})
    assert answer.status_code == 303
    assert client.post(f"{path}/approve").status_code == 303
    db.session.refresh(message)
    assert message.status == "scheduled"
    assert message.approved_by == agent.id
    dispatch_due(message.scheduled_for, context(app))
    email = db.session.get(OutboxEmail, message.outbox_email_id)
    assert email.subject == "Lovely to meet you"
    assert email.text_body.startswith("Hi Pia!")
    assert email.message_id == message.message_id


def test_an_unapproved_message_is_never_sent(app, reviewed):
    """Awaiting review: the dispatcher leaves it alone, however late it gets."""
    _, _, message = reviewed
    assert dispatch_due(message.scheduled_for + timedelta(days=2), context(app)) == {}
    assert db.session.scalar(sa.select(sa.func.count(OutboxEmail.id))) == 0


def test_reschedule_and_skip_with_a_reason(client, auth, reviewed):
    """Reschedule reads the community's zone; a skip keeps the agent's reason."""
    agent, prospect, message = reviewed
    _sign_in(auth, agent)
    path = f"/staff/prospects/{prospect.id}/followups/{message.id}"
    client.post(f"{path}/reschedule", data={"when": "2026-11-26T11:15"})
    db.session.refresh(message)
    assert message.scheduled_for == datetime(2026, 11, 26, 9, 15, tzinfo=UTC)
    client.post(f"{path}/skip", data={"reason": "we spoke on the phone"})
    db.session.refresh(message)
    assert message.status == "skipped"
    assert message.skip_reason == f"skipped by {agent.name}: we spoke on the phone"
    page = client.get(f"/staff/prospects/{prospect.id}/followups").get_data(as_text=True)
    assert "we spoke on the phone" in page


def test_bad_input_changes_nothing(client, auth, reviewed):
    """An empty edit or a past time is refused with a message; the row stays as it was."""
    agent, prospect, message = reviewed
    _sign_in(auth, agent)
    path = f"/staff/prospects/{prospect.id}/followups/{message.id}"
    answer = client.post(f"{path}/edit", data={"subject": "", "text": "x"})
    assert answer.status_code == 422
    assert "Subject: This field is required." in answer.get_data(as_text=True)
    answer = client.post(
        f"{path}/reschedule", data={"when": "2020-01-01T10:00"}, follow_redirects=True
    )
    assert "Choose a time in the future." in answer.get_data(as_text=True)
    answer = client.post(f"{path}/reschedule", data={"when": "not a time"})
    assert answer.status_code == 422
    db.session.refresh(message)
    assert message.edited_text is None
    assert message.status == "awaiting_review"


def test_replied_stops_every_plan(client, auth, reviewed):
    """Marking "replied" skips what was queued, with the reason."""
    agent, prospect, message = reviewed
    _sign_in(auth, agent)
    client.post(f"/staff/prospects/{prospect.id}/followups/replied")
    db.session.refresh(message)
    assert message.status == "skipped"
    assert message.skip_reason == f"plan stopped: replied (marked by {agent.name})"


def test_replied_is_kept_on_the_plan_for_the_insights(client, auth, reviewed):
    """The run remembers when the reply was marked (the insights count it as replied)."""
    agent, prospect, message = reviewed
    _sign_in(auth, agent)
    client.post(f"/staff/prospects/{prospect.id}/followups/replied")
    db.session.refresh(message.run)
    assert message.run.status == "stopped"
    assert message.run.replied_at is not None


@pytest.mark.parametrize("role", ["agent_elsewhere", "marketer"])
def test_staff_outside_the_prospects_communities_get_404(client, auth, reviewed, role):
    """An agent of another community or a marketer cannot see or change the queue."""
    _, prospect, message = reviewed
    staff = gen_staff("agent" if role == "agent_elsewhere" else "marketer")
    db.session.commit()
    _sign_in(auth, staff)
    expected = 404 if role == "agent_elsewhere" else 403
    assert client.get(f"/staff/prospects/{prospect.id}/followups").status_code == expected
    path = f"/staff/prospects/{prospect.id}/followups/{message.id}/approve"
    assert client.post(path).status_code == expected
    db.session.refresh(message)
    assert message.status == "awaiting_review"


def test_staff_pages_warn_when_due_messages_pile_up(app, client, auth, reviewed, fixed_clock):
    """Overdue messages beyond the threshold show a warning on every staff page."""
    agent, _, message = reviewed
    app.config["FOLLOWUPS_BACKLOG_WARNING"] = 1
    app.config["FOLLOWUPS_BACKLOG_RECOUNT_SECONDS"] = 0  # counted on every page
    message.status, message.scheduled_for = "scheduled", fixed_clock - timedelta(hours=1)
    db.session.commit()
    _sign_in(auth, agent)
    assert "follow-up messages are overdue" in client.get("/staff/").get_data(as_text=True)
    message.status = "skipped"
    message.skip_reason = "test"
    db.session.commit()
    assert "overdue" not in client.get("/staff/").get_data(as_text=True)


def test_the_backlog_is_counted_once_per_recount_interval(app, client, auth, reviewed):
    """Within FOLLOWUPS_BACKLOG_RECOUNT_SECONDS a process reuses its count; then it counts again."""
    agent, _, message = reviewed
    app.config["FOLLOWUPS_BACKLOG_WARNING"] = 1
    message.status, message.scheduled_for = "scheduled", utcnow() - timedelta(hours=1)
    db.session.commit()
    _sign_in(auth, agent)
    assert "follow-up messages are overdue" in client.get("/staff/").get_data(as_text=True)
    message.status, message.skip_reason = "skipped", "test"
    db.session.commit()
    with recorded() as queries:
        assert "follow-up messages are overdue" in client.get("/staff/").get_data(as_text=True)
    assert queries
    assert not [q for q in queries if "count(followup_message.id)" in q]
    app.extensions["followup_backlog"]["until"] = 0.0  # the interval is over
    assert "overdue" not in client.get("/staff/").get_data(as_text=True)
