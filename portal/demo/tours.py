"""Tour set-up for the demo communities: every tour type bookable on `make run`.

Idempotent like the rest of the demo: rows are keyed by (community, kind), by
(community, weekday) and by (agent, weekday), so a second load adds nothing.
"""

from datetime import date, time

import sqlalchemy as sa

from portal.extensions import db
from portal.models import (
    AgentHours,
    OpeningHours,
    Property,
    PropertyAgent,
    PropertyHoliday,
    StaffUser,
    TourType,
)

DEMO_AGENT_EMAIL = "agent@doorstep.example"
TOUR_TYPES = (
    {
        "kind": "guided",
        "name": "Guided tour",
        "description": "An agent shows you the home and the building and answers your questions.",
        "duration_minutes": 30,
        "interval_minutes": 30,
        "buffer_after_minutes": 15,
    },
    {
        "kind": "self_guided",
        "name": "Self-guided tour",
        "description": "Look around on your own; your door code arrives shortly before the tour.",
        "duration_minutes": 30,
        "interval_minutes": 30,
        "capacity": 2,
        # The visitor confirms from the emailed link, which verifies the address.
        "confirmation": "visitor",
        "hold_hours": 2,
    },
    {
        "kind": "video",
        "name": "Live video tour",
        "description": "An agent walks you through the home on a video call, wherever you are.",
        "duration_minutes": 30,
        "interval_minutes": 30,
        "buffer_before_minutes": 15,
    },
)
# Monday to Friday 9-18, Saturday 10-16; the agent works Monday to Friday 9-17, Saturday 10-14.
OPENING = {**{d: (time(9), time(18)) for d in range(5)}, 5: (time(10), time(16))}
AGENT_HOURS = {**{d: (time(9), time(17)) for d in range(5)}, 5: (time(10), time(14))}
# Finnish public holidays around the demo season.
HOLIDAYS = {
    date(2026, 12, 6): "Independence Day",
    date(2026, 12, 24): "Christmas Eve",
    date(2026, 12, 25): "Christmas Day",
    date(2026, 12, 26): "Boxing Day",
    date(2027, 1, 1): "New Year's Day",
    date(2027, 1, 6): "Epiphany",
}


def load_tour_setup() -> int:
    """Add the missing tour types, hours, holidays and agent links (flushes); returns rows added."""
    added = 0
    agent = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == DEMO_AGENT_EMAIL))
    for prop in db.session.scalars(sa.select(Property).order_by(Property.id)):
        kinds = set(
            db.session.scalars(sa.select(TourType.kind).where(TourType.property_id == prop.id))
        )
        for spec in TOUR_TYPES:
            if spec["kind"] not in kinds:
                db.session.add(TourType(property_id=prop.id, **spec))
                added += 1
        weekdays = set(
            db.session.scalars(
                sa.select(OpeningHours.weekday).where(OpeningHours.property_id == prop.id)
            )
        )
        for weekday, (opens, closes) in OPENING.items():
            if weekday not in weekdays:
                db.session.add(
                    OpeningHours(property_id=prop.id, weekday=weekday, opens=opens, closes=closes)
                )
                added += 1
        days = set(
            db.session.scalars(
                sa.select(PropertyHoliday.day).where(PropertyHoliday.property_id == prop.id)
            )
        )
        for day, name in HOLIDAYS.items():
            if day not in days:
                db.session.add(PropertyHoliday(property_id=prop.id, day=day, name=name))
                added += 1
        if agent is not None and not db.session.scalar(
            sa.select(PropertyAgent.id).where(
                PropertyAgent.property_id == prop.id, PropertyAgent.staff_id == agent.id
            )
        ):
            db.session.add(PropertyAgent(property_id=prop.id, staff_id=agent.id))
            added += 1
    if agent is not None:
        weekdays = set(
            db.session.scalars(sa.select(AgentHours.weekday).where(AgentHours.staff_id == agent.id))
        )
        for weekday, (starts, ends) in AGENT_HOURS.items():
            if weekday not in weekdays:
                db.session.add(
                    AgentHours(staff_id=agent.id, weekday=weekday, starts=starts, ends=ends)
                )
                added += 1
    db.session.flush()
    return added
