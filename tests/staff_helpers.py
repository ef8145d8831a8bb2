"""Builders for the staff tests: a tour that took place, at a property with its agent."""

import secrets
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
from tests.factories import gen_agent, gen_property, gen_prospect, gen_tour_type, gen_unit


def gen_tour(
    prop: Property,
    prospect: Prospect,
    *,
    agent: StaffUser | None = None,
    unit: Unit | None = None,
    starts_at: datetime | None = None,
    status: str = "confirmed",
) -> Tour:
    """A guided tour of ``prospect`` at ``prop`` (by default started an hour ago)."""
    tour_type = next((t for t in _types(prop) if t.kind == "guided"), None) or gen_tour_type(prop)
    starts_at = starts_at or utcnow() - timedelta(hours=1)
    tour = Tour(
        token=secrets.token_urlsafe(16),
        uid=secrets.token_hex(16),
        property_id=prop.id,
        tour_type_id=tour_type.id,
        unit_id=unit.id if unit else None,
        agent_id=agent.id if agent else None,
        prospect_id=prospect.id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=30),
        status=status,
        name=prospect.name,
        email=prospect.email,
    )
    tour.history.append(
        TourStatusChange(from_status=None, to_status=status, starts_at=starts_at, actor="prospect")
    )
    db.session.add(tour)
    db.session.flush()
    return tour


def _types(prop: Property) -> list[TourType]:
    return list(db.session.scalars(sa.select(TourType).where(TourType.property_id == prop.id)))


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
    tour = gen_tour(prop, prospect, agent=agent, unit=units[0], **tour_fields)
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
