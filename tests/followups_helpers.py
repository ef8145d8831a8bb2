"""Builders for follow-up tests: a community with the default plans, tours, outcomes."""

import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from portal.demo.followups import install_followups
from portal.extensions import db
from portal.followups.dispatch import DispatchContext
from portal.followups.rules import Caps
from portal.followups.sms import DevOutboxSms
from portal.geo.settings import GeoSettings
from portal.models import FollowupMessage, Tour
from portal.tours.outcomes import record_outcome
from tests.factories import gen_internet, gen_property, gen_tour_type, gen_unit

# Monday 23 November 2026, 14:00 in Helsinki.
TOUR_END = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def gen_community(send_mode: str = "auto", **fields):
    """A community with internet, one available home, the default plans and snippets."""
    prop = gen_property(**fields)
    gen_internet(prop)
    unit = gen_unit(prop)
    tour_type = gen_tour_type(prop)
    install_followups(prop, send_mode)
    return prop, unit, tour_type


def gen_tour(tour_type, prospect, *, unit=None, starts_at=None, status="confirmed", priorities=()):
    starts_at = starts_at or TOUR_END - timedelta(minutes=30)
    tour = Tour(
        token=uuid.uuid4().hex,
        uid=f"{uuid.uuid4().hex}@doorstep",
        property_id=tour_type.property_id,
        tour_type=tour_type,
        unit_id=unit.id if unit else None,
        prospect=prospect,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=30),
        status=status,
        name=prospect.name,
        email=prospect.email or "gone@example.com",
        email_confirmed_at=starts_at - timedelta(days=2),
        priorities=list(priorities),
        created_at=starts_at - timedelta(days=2),
    )
    db.session.add(tour)
    db.session.flush()
    return tour


def complete(tour, now=TOUR_END, outcome="completed"):
    record_outcome(tour, outcome, now=now, actor="staff:1")
    db.session.flush()


def messages_of(prospect) -> list[FollowupMessage]:
    return list(
        db.session.scalars(
            sa.select(FollowupMessage)
            .where(FollowupMessage.prospect_id == prospect.id)
            .order_by(FollowupMessage.id)
        )
    )


def context(app, **caps) -> DispatchContext:
    return DispatchContext(
        settings=GeoSettings.from_mapping(app.config),
        secret_key=app.config["SECRET_KEY"],
        sms=DevOutboxSms(),
        caps=Caps(**caps),
    )
