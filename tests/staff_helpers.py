"""Builders for the staff tests: tours placed directly (no booking flow), a site, sign-in."""

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from portal.api.spec import openapi_document
from portal.extensions import db
from portal.models import Property, Prospect, StaffUser, Tour, TourStatusChange, TourType, Unit
from portal.models.base import utcnow
from portal.tours import events
from tests.factories import (
    STAFF_PASSWORD,
    gen_agent,
    gen_property,
    gen_prospect,
    gen_tour_type,
    gen_unit,
)

_seq = itertools.count(1)


def gen_tour(
    prop: Property,
    starts_at: datetime | None = None,
    *,
    prospect: Prospect | None = None,
    kind: str = "guided",
    agent: StaffUser | None = None,
    unit: Unit | None = None,
    status: str = "confirmed",
    **fields,
) -> Tour:
    """A 30-minute tour of ``prop`` of the property's ``kind`` type (by default started an
    hour ago), with its first status change recorded as a booking records it."""
    n = next(_seq)
    starts_at = starts_at or utcnow() - timedelta(hours=1)
    tour_type = db.session.scalar(
        sa.select(TourType).where(TourType.property_id == prop.id, TourType.kind == kind)
    ) or gen_tour_type(prop, kind)
    prospect = prospect or gen_prospect()
    values = {
        "token": f"staff-test-token-{n:014d}"[:32],
        "uid": f"staff-test-{n}@doorstep.test",
        "property_id": prop.id,
        "tour_type_id": tour_type.id,
        "unit_id": unit.id if unit else None,
        "agent_id": agent.id if agent and kind != "self_guided" else None,
        "prospect_id": prospect.id,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(minutes=30),
        "status": status,
        "name": prospect.name,
        "email": prospect.email,
    }
    if kind == "video":
        values["video_room_url"] = f"https://meet.example/room-{n}"
    values.update(fields)
    tour = Tour(**values)
    tour.history.append(
        TourStatusChange(from_status=None, to_status=status, starts_at=starts_at, actor="prospect")
    )
    db.session.add(tour)
    db.session.flush()
    return tour


@dataclass
class Site:
    """A property with two units, its agent, and a prospect (a lead) with a tour there."""

    prop: Property
    units: list[Unit]
    agent: StaffUser
    prospect: Prospect
    tour: Tour


def gen_site(**tour_fields) -> Site:
    prop = gen_property()
    units = [gen_unit(prop), gen_unit(prop)]
    agent = gen_agent(prop)
    prospect = gen_prospect(stage="lead")
    tour = gen_tour(prop, prospect=prospect, agent=agent, unit=units[0], **tour_fields)
    return Site(prop, units, agent, prospect, tour)


def sign_in_staff(auth, user: StaffUser) -> None:
    db.session.commit()
    response = auth.login(user.email, STAFF_PASSWORD)
    assert response.status_code in (302, 303), response.get_data(as_text=True)


@pytest.fixture
def heard():
    """The tour events published during the test, by a listener subscribed for it."""
    received = []
    events.subscribe(received.append)
    yield received
    events.unsubscribe(received.append)


def check_schema(schema: str, body) -> None:
    """``body`` matches the named schema of the OpenAPI document."""
    spec = openapi_document()
    registry = Registry().with_resource(
        "urn:spec", DRAFT202012.create_resource({"components": spec["components"]})
    )
    Draft202012Validator(
        {"$ref": f"urn:spec#/components/schemas/{schema}"}, registry=registry
    ).validate(body)
