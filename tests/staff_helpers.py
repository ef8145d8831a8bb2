"""Builders for the staff-view tests: tours placed directly (no booking flow), sign-in, a
site with a tour that took place, the tour events heard and the API document check."""

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
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
    starts_at: datetime,
    *,
    kind: str = "guided",
    agent: StaffUser | None = None,
    prospect: Prospect | None = None,
    status: str = "confirmed",
    **fields,
) -> Tour:
    """A tour of ``prop`` at ``starts_at`` (30 minutes), of the property's ``kind`` type."""
    import sqlalchemy as sa

    n = next(_seq)
    tour_type = db.session.scalar(
        sa.select(TourType).where(TourType.property_id == prop.id, TourType.kind == kind)
    ) or gen_tour_type(prop, kind)
    prospect = prospect or gen_prospect()
    values = {
        "token": f"staff-test-token-{n:014d}"[:32],
        "uid": f"staff-test-{n}@doorstep.test",
        "property_id": prop.id,
        "tour_type_id": tour_type.id,
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
    db.session.add(tour)
    db.session.flush()
    return tour


def sign_in_staff(auth, user: StaffUser) -> None:
    db.session.commit()
    response = auth.login(user.email, STAFF_PASSWORD)
    assert response.status_code in (302, 303), response.get_data(as_text=True)


@dataclass
class Site:
    """A property with two units, its agent, and a prospect (a lead) with a tour there."""

    prop: Property
    units: list[Unit]
    agent: StaffUser
    prospect: Prospect
    tour: Tour


def gen_site(starts_at: datetime | None = None, status: str = "confirmed") -> Site:
    """A ``Site`` whose guided tour (booked by the prospect) started an hour ago."""
    prop = gen_property()
    units = [gen_unit(prop), gen_unit(prop)]
    agent = gen_agent(prop)
    prospect = gen_prospect(stage="lead")
    starts_at = starts_at or utcnow() - timedelta(hours=1)
    tour = gen_tour(
        prop, starts_at, agent=agent, prospect=prospect, unit_id=units[0].id, status=status
    )
    tour.history.append(
        TourStatusChange(from_status=None, to_status=status, starts_at=starts_at, actor="prospect")
    )
    db.session.flush()
    return Site(prop, units, agent, prospect, tour)


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
