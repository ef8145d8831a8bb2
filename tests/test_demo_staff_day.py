"""The demo agent's day: tours today and in the next days, idempotent, with rich briefs."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from portal.api.serializers import brief_json
from portal.demo.staff_day import DAY_PLAN, load_staff_day
from portal.extensions import db
from portal.models import SlotClaim, StaffUser, Tour
from portal.settings import geo_settings
from portal.tours.brief import tour_brief
from tests.staff_helpers import check_schema

DEMO_DAY = date(2026, 11, 23)  # the day the `demo` fixture loads on


def _agent() -> StaffUser:
    return db.session.scalar(
        sa.select(StaffUser).where(StaffUser.email == "agent@doorstep.example")
    )


def test_the_demo_agent_has_tours_today_and_in_the_next_days(demo):
    """Every plan entry becomes a confirmed tour on its local day, holding its time."""
    tours = list(db.session.scalars(sa.select(Tour).where(Tour.uid.like("demo-day-%"))))
    assert len(tours) == len(DAY_PLAN)
    days = {t.starts_at.astimezone(ZoneInfo(t.property.time_zone)).date() for t in tours}
    assert days == {DEMO_DAY + timedelta(days=n) for n in {p[0] for p in DAY_PLAN}}
    assert {t.status for t in tours} == {"confirmed"}
    led = [t for t in tours if t.tour_type.needs_agent]
    assert {t.agent_id for t in led} == {_agent().id}
    claimed = set(db.session.scalars(sa.select(SlotClaim.tour_id)))
    assert {t.id for t in led} <= claimed


def test_loading_again_adds_nothing_and_a_later_day_adds_that_days_tours(demo):
    """Idempotent on one day; relative to the day it runs."""
    assert load_staff_day(DEMO_DAY) == 0
    assert load_staff_day(DEMO_DAY + timedelta(days=7)) == len(DAY_PLAN)
    assert load_staff_day(DEMO_DAY + timedelta(days=7)) == 0


def test_a_demo_brief_has_priorities_browsing_and_commute_places(demo):
    """The brief of a demo tour reflects the prospect's recorded history."""
    tour = db.session.scalar(
        sa.select(Tour).where(Tour.uid == f"demo-day-{DEMO_DAY.isoformat()}-0@doorstep.example")
    )
    brief = tour_brief(tour, geo_settings())
    assert brief.prospect.name == "Sara Demo"
    assert brief.prospect.channel_rule == "Prefers email: do not call or text"
    assert [p.topic for p in brief.priorities.ranked][:2] == ["commute", "pets"]
    assert brief.browsing.listings
    assert brief.browsing.favourites
    assert brief.browsing.comparisons == 1
    assert [dc.destination.label for dc in brief.commutes] == ["Work"]
    assert brief.booking_note
    assert brief.units
    # The API shape holds for a rich brief too (the endpoint adds the tour's version).
    check_schema("StaffTourBrief", brief_json(brief) | {"version": tour.version})
