"""GET /api/v1/staff/prospects/{id}/followups: the queue as JSON, same visibility as the page."""

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from portal.api.spec import openapi_document
from portal.extensions import db
from portal.followups.dispatch import dispatch_due
from portal.models import PropertyAgent
from portal.models.base import utcnow
from portal.staff.api_tokens import issue_token
from tests.factories import gen_prospect, gen_staff
from tests.followups_helpers import complete, context, gen_community, gen_tour, messages_of


def _validate(body) -> None:
    spec = openapi_document()
    registry = Registry().with_resource(
        "urn:spec", DRAFT202012.create_resource({"components": spec["components"]})
    )
    Draft202012Validator(
        {"$ref": "urn:spec#/components/schemas/FollowupList"}, registry=registry
    ).validate(body)


@pytest.fixture
def toured(app):
    prop, unit, tour_type = gen_community()
    agent = gen_staff("agent")
    db.session.add(PropertyAgent(property_id=prop.id, staff_id=agent.id))
    prospect = gen_prospect(name="Pia Virtanen")
    complete(gen_tour(tour_type, prospect, unit=unit))
    db.session.commit()
    return agent, prospect, unit


def test_lists_queued_and_sent_messages_with_text_and_facts(app, client, toured):
    """Each message: plan, step, channel, status, times, subject, text and the facts used."""
    agent, prospect, unit = toured
    recap = messages_of(prospect)[0]
    dispatch_due(recap.scheduled_for, context(app))
    secret = issue_token(agent, "crm", now=utcnow()).secret
    db.session.commit()
    answer = client.get(
        f"/api/v1/staff/prospects/{prospect.id}/followups",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert answer.status_code == 200
    body = answer.get_json()
    _validate(body)
    by_position = {m["step"]["position"]: m for m in body["followups"]}
    handed, queued = by_position[1], by_position[2]
    assert handed["status"] == "sending"
    assert handed["plan"]["trigger"] == "completed"
    assert handed["text"].startswith("Hello Pia,")
    assert {"key": "unit_number", "value": unit.number} in handed["facts"]
    assert queued["status"] == "scheduled"
    assert queued["channel"] == "email"
    assert queued["skip_reason"] == "the prospect named no priority number 1"


@pytest.mark.parametrize("who", ["stranger_agent", "marketer"])
def test_prospects_outside_the_tokens_communities_are_404(client, toured, who):
    """An agent of another community or a marketer's token gets 404, never the data."""
    _, prospect, _ = toured
    staff = gen_staff("agent" if who == "stranger_agent" else "marketer")
    secret = issue_token(staff, "crm", now=utcnow()).secret
    db.session.commit()
    answer = client.get(
        f"/api/v1/staff/prospects/{prospect.id}/followups",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert answer.status_code == 404
    assert answer.get_json()["error"]["code"]


def test_without_a_token_it_is_401(client, toured):
    _, prospect, _ = toured
    assert client.get(f"/api/v1/staff/prospects/{prospect.id}/followups").status_code == 401
