"""Studio: marketers edit follow-up plans and snippets; unknown placeholders are refused."""

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import FollowupSettings, FollowupSnippet, FollowupStep
from tests.factories import STAFF_PASSWORD, gen_staff
from tests.followups_helpers import gen_community


@pytest.fixture
def marketer(app, client, auth):
    staff = gen_staff("marketer")
    prop, unit, _ = gen_community()
    db.session.commit()
    assert auth.login(staff.email, STAFF_PASSWORD).status_code == 302
    return staff, prop, unit


def test_saving_a_snippet_with_an_unknown_placeholder_is_refused_with_the_valid_list(
    client, marketer
):
    """422, the typo named, the valid placeholders listed, and nothing stored."""
    _, prop, _ = marketer
    before = db.session.scalar(
        sa.select(FollowupSnippet.body).where(
            FollowupSnippet.topic == "internet", FollowupSnippet.property_id == prop.id
        )
    )
    answer = client.post(
        f"/studio/followups/{prop.id}/snippets/internet",
        data={"subject": "Internet", "body": "Hi {first_name}, {internet_sped}!", "action": "save"},
    )
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert "Unknown placeholder {internet_sped}" in html
    assert "{internet_speed}" in html
    after = db.session.scalar(
        sa.select(FollowupSnippet.body).where(
            FollowupSnippet.topic == "internet", FollowupSnippet.property_id == prop.id
        )
    )
    assert after == before


def test_a_valid_snippet_is_saved_and_previewed_for_a_sample_prospect(client, marketer):
    """Preview renders with the community's facts without saving; save stores it."""
    staff, prop, unit = marketer
    path = f"/studio/followups/{prop.id}/snippets/internet"
    body = "Hi {first_name}, {internet_provider} gives {internet_speed} in home {unit_number}."
    preview = client.post(path, data={"subject": "Net", "body": body, "action": "preview"})
    assert preview.status_code == 200
    assert (
        f"Hi Sam, Elisa gives 1 Gbit/s down / 500 Mbit/s up in home {unit.number}."
        in preview.get_data(as_text=True)
    )
    stored = db.session.scalar(
        sa.select(FollowupSnippet).where(
            FollowupSnippet.topic == "internet", FollowupSnippet.property_id == prop.id
        )
    )
    assert stored.body != body
    assert (
        client.post(path, data={"subject": "Net", "body": body, "action": "save"}).status_code
        == 303
    )
    db.session.refresh(stored)
    assert stored.body == body
    assert stored.updated_by == staff.id


def test_steps_and_send_mode_are_edited_with_validation(client, marketer):
    """A priority step needs a rank; a valid change is saved; the mode switches to review."""
    _, prop, _ = marketer
    step = db.session.scalar(
        sa.select(FollowupStep).join(FollowupStep.plan).where(FollowupStep.content == "recap")
    )
    path = f"/studio/followups/{prop.id}/steps/{step.id}"
    data = {"content": "priority", "delay_days": 2, "channel": "preferred", "expires_after_days": 3}
    assert client.post(path, data=data).status_code == 422
    data |= {"content": "recap", "send_at": "08:45"}
    assert client.post(path, data=data).status_code == 303
    db.session.refresh(step)
    assert (step.delay_days, step.send_at.isoformat()) == (2, "08:45:00")
    client.post(f"/studio/followups/{prop.id}/mode", data={"send_mode": "review"})
    assert db.session.get(FollowupSettings, prop.id).send_mode == "review"


def test_pages_render_for_marketers(client, marketer):
    """The list, the plans and a snippet page open."""
    _, prop, _ = marketer
    for path in (
        "/studio/followups",
        f"/studio/followups/{prop.id}",
        f"/studio/followups/{prop.id}/snippets/recap",
    ):
        assert client.get(path).status_code == 200, path
    assert client.get(f"/studio/followups/{prop.id}/snippets/nonsense").status_code == 404


def test_agents_cannot_edit_plans(app, client, auth):
    """The studio is for marketers and admins only."""
    agent = gen_staff("agent")
    prop, _, _ = gen_community()
    db.session.commit()
    auth.login(agent.email, STAFF_PASSWORD)
    assert client.get(f"/studio/followups/{prop.id}").status_code == 403
