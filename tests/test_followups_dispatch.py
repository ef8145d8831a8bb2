"""Dispatch: rules at send time, the hand-over to the outbox, sync, and no row sent twice."""

import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.followups.dispatch import dispatch_due, expire_unanswered, sync_outbox
from portal.models import ContactPreference, FollowupMessage, OutboxEmail
from portal.prospects.contact_links import unsubscribe_url
from portal.prospects.priorities import record_priorities
from tests.factories import gen_prospect
from tests.followups_helpers import (
    complete,
    context,
    gen_community,
    gen_tour,
    messages_of,
)

NEXT_MORNING = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)  # 09:30 in Helsinki


def _toured(app, **prefs):
    prop, unit, tour_type = gen_community()
    prospect = gen_prospect(phone="+358401234567")
    if prefs:
        db.session.add(ContactPreference(prospect_id=prospect.id, **prefs))
    record_priorities(
        {"importance": {"internet": "must_have", "pets": "important", "parking": "nice"}},
        source="prospect",
        prospect=prospect,
    )
    complete(gen_tour(tour_type, prospect, unit=unit))
    db.session.commit()
    return prop, unit, prospect


def test_due_recap_is_handed_to_the_outbox_with_its_message_id_and_unsubscribe(app):
    """The outbox row carries the stored Message-ID and the RFC 8058 headers; not yet sent."""
    _, unit, prospect = _toured(app)
    counts = dispatch_due(NEXT_MORNING, context(app))
    assert counts == {"handed": 1}
    [recap, _next] = messages_of(prospect)
    email = db.session.get(OutboxEmail, recap.outbox_email_id)
    assert email.message_id == recap.message_id
    link = unsubscribe_url(prospect, secret_key=app.config["SECRET_KEY"])
    assert email.headers["List-Unsubscribe"] == f"<{link}>"
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"We showed you home {unit.number}." in email.text_body
    assert recap.status == "sending"
    assert recap.sent_at is None


def test_a_row_becomes_sent_only_when_the_outbox_accepted_it(app):
    """Sync marks sent from the outbox's own sent_at; a queued email stays "sending"."""
    _, _, prospect = _toured(app)
    dispatch_due(NEXT_MORNING, context(app))
    assert sync_outbox() == 0
    recap = messages_of(prospect)[0]
    email = db.session.get(OutboxEmail, recap.outbox_email_id)
    email.status, email.sent_at = "sent", NEXT_MORNING + timedelta(seconds=3)
    db.session.commit()
    assert sync_outbox() == 1
    db.session.refresh(recap)
    assert recap.status == "sent"
    assert recap.sent_at == NEXT_MORNING + timedelta(seconds=3)


@pytest.mark.parametrize(
    ("outbox_status", "status", "reason"),
    [
        ("failed", "failed", "the mail server refused it"),
        ("suppressed", "skipped", "the address is on the do-not-contact list"),
    ],
)
def test_a_refused_or_suppressed_email_ends_its_follow_up_with_the_reason(
    app, outbox_status, status, reason
):
    """Sync carries the outbox's failure over: refused → failed, do-not-contact → skipped."""
    _, _, prospect = _toured(app)
    dispatch_due(NEXT_MORNING, context(app))
    recap = messages_of(prospect)[0]
    db.session.get(OutboxEmail, recap.outbox_email_id).status = outbox_status
    db.session.commit()
    assert sync_outbox() == 1
    db.session.refresh(recap)
    assert (recap.status, recap.skip_reason, recap.sent_at) == (status, reason, None)


def test_the_next_step_is_planned_when_the_recap_is_handed_over(app):
    """Handing over the recap writes the top-priority message two days later at 10:00."""
    _, _, prospect = _toured(app)
    dispatch_due(NEXT_MORNING, context(app))
    second = messages_of(prospect)[1]
    assert second.step.topic_rank == 1
    assert second.scheduled_for == datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def test_quiet_hours_defer_to_the_end_of_the_window(app):
    """A message due at 22:00 local waits until 09:00 the next morning (default window)."""
    _, _, prospect = _toured(app)
    recap = messages_of(prospect)[0]
    recap.scheduled_for = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)  # 22:00 in Helsinki
    db.session.commit()
    assert dispatch_due(recap.scheduled_for, context(app)) == {"deferred": 1}
    db.session.refresh(recap)
    assert recap.status == "scheduled"
    assert recap.scheduled_for == datetime(2026, 11, 25, 7, 0, tzinfo=UTC)


def test_the_prospects_own_zone_and_quiet_hours_apply(app):
    """Quiet hours set by the prospect are read in their zone, not the property's."""
    _, _, prospect = _toured(
        app, time_zone="America/New_York", quiet_from=time(22), quiet_until=time(10)
    )
    # The recap is planned for 09:30 in New York (14:30 UTC), inside their quiet hours.
    recap = messages_of(prospect)[0]
    assert recap.scheduled_for == datetime(2026, 11, 24, 14, 30, tzinfo=UTC)
    assert dispatch_due(recap.scheduled_for, context(app)) == {"deferred": 1}
    assert messages_of(prospect)[0].scheduled_for == datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def test_pace_on_request_sends_nothing_unasked(app):
    """On request: the step is skipped with the reason, and the plan goes on to its end."""
    _, _, prospect = _toured(app, pace="on_request")
    dispatch_due(NEXT_MORNING, context(app))
    recap = messages_of(prospect)[0]
    assert recap.status == "skipped"
    assert "on request" in recap.skip_reason


def test_a_paused_prospect_is_deferred_until_the_pause_ends(app):
    """Paused until Friday: the recap waits until Saturday 09:00 local."""
    _, _, prospect = _toured(app, paused_until=date(2026, 11, 27))
    recap = messages_of(prospect)[0]
    recap.expires_at = NEXT_MORNING + timedelta(days=10)
    db.session.commit()
    assert dispatch_due(NEXT_MORNING, context(app)) == {"deferred": 1}
    db.session.refresh(recap)
    assert recap.scheduled_for == datetime(2026, 11, 28, 7, 0, tzinfo=UTC)


def test_a_deferral_past_the_steps_last_day_skips_it(app):
    """The recap expires after three days: a pause beyond that skips it with the reason."""
    _, _, prospect = _toured(app, paused_until=date(2026, 12, 20))
    dispatch_due(NEXT_MORNING, context(app))
    recap = messages_of(prospect)[0]
    assert recap.status == "skipped"
    assert recap.skip_reason.startswith("expired: paused")


def test_sms_prospects_get_a_text_in_the_development_outbox(app):
    """The SMS channel goes through the provider; the dev provider writes an outbox row."""
    _, _, prospect = _toured(app, channel="sms")
    assert dispatch_due(NEXT_MORNING, context(app)) == {"sent": 1}
    recap = messages_of(prospect)[0]
    sms = db.session.scalar(sa.select(OutboxEmail).where(OutboxEmail.kind == "sms"))
    assert sms.to_address == prospect.phone
    assert sms.message_id == recap.message_id
    assert recap.channel == "sms"
    assert recap.status == "sent"


def test_phone_prospects_become_the_agents_call_task_never_an_email(app):
    """A phone prospect's step waits in the agent's list; no email is queued."""
    _, _, prospect = _toured(app, channel="phone")
    assert dispatch_due(NEXT_MORNING, context(app)) == {"task": 1}
    recap = messages_of(prospect)[0]
    assert recap.channel == "phone"
    assert recap.status == "awaiting_review"
    assert db.session.scalar(sa.select(sa.func.count(OutboxEmail.id))) == 0


def test_a_call_task_nobody_made_expires_with_its_step(app):
    """The agent's call task lasts as long as its step: after the step's last day it is
    skipped with the reason, and the plan goes on to the next step."""
    _, _, prospect = _toured(app, channel="phone")
    dispatch_due(NEXT_MORNING, context(app))
    task = messages_of(prospect)[0]
    last_day = task.expires_at
    assert expire_unanswered(last_day) == 0
    assert expire_unanswered(last_day + timedelta(minutes=1)) == 1
    db.session.commit()
    db.session.refresh(task)
    assert (task.status, task.skip_reason) == (
        "skipped",
        "expired: no call before the step's last day",
    )
    assert len(messages_of(prospect)) == 2  # the next step is planned


def test_a_message_left_unreviewed_expires_with_its_step(app):
    """At a community whose agent reviews every message, one never approved does not wait
    for ever: after its step's last day it is skipped with the reason."""
    prop, unit, tour_type = gen_community(send_mode="review")
    prospect = gen_prospect()
    complete(gen_tour(tour_type, prospect, unit=unit))
    db.session.commit()
    message = messages_of(prospect)[0]
    assert message.status == "awaiting_review"
    assert expire_unanswered(message.expires_at + timedelta(minutes=1)) == 1
    db.session.commit()
    db.session.refresh(message)
    assert (message.status, message.skip_reason) == (
        "skipped",
        "expired: no review before the step's last day",
    )


def test_email_step_for_a_prospect_without_email_is_skipped(app):
    """No address: skipped with the reason, never sent elsewhere."""
    _, _, prospect = _toured(app)
    prospect.email = None
    db.session.commit()
    dispatch_due(NEXT_MORNING, context(app))
    assert messages_of(prospect)[0].skip_reason == "no email address"


def test_a_leased_home_is_replaced_by_the_next_best_one_or_skipped(app):
    """Leased since the tour: the message shows another available home, or is skipped."""
    from tests.factories import gen_unit

    prop, unit, prospect = _toured(app)
    unit.status = "leased"
    other = gen_unit(prop, number="B 7", rent_eur=1290)
    db.session.commit()
    dispatch_due(NEXT_MORNING, context(app))
    email = db.session.get(OutboxEmail, messages_of(prospect)[0].outbox_email_id)
    assert "Home B 7" in email.text_body
    assert "€1\u202f290" in email.text_body
    other.status = "leased"
    second = messages_of(prospect)[1]
    db.session.commit()
    dispatch_due(second.scheduled_for, context(app))
    db.session.refresh(second)
    assert second.status == "skipped"
    assert second.skip_reason == f"no home is available at {prop.name} any more"


def test_two_concurrent_dispatchers_never_hand_the_same_row_twice(app):
    """Two workers racing over the same due rows: each row gets exactly one outbox email."""
    prop, unit, tour_type = gen_community()
    for _ in range(12):
        complete(gen_tour(tour_type, gen_prospect(), unit=unit))
    db.session.commit()
    barrier = threading.Barrier(2)
    results = []

    def worker():
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                results.append(dispatch_due(NEXT_MORNING, context(app)))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    handed = sum(r.get("handed", 0) for r in results)
    assert handed == 12
    keys = db.session.scalars(
        sa.select(OutboxEmail.dedupe_key).where(OutboxEmail.kind == "followup")
    ).all()
    handed_rows = db.session.scalars(
        sa.select(FollowupMessage).where(FollowupMessage.outbox_email_id.is_not(None))
    ).all()
    assert len(keys) == 12
    assert sorted(keys) == sorted(f"followup:{m.message_id}" for m in handed_rows)
