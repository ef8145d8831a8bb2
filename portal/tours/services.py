"""Look-ups the booking pages and the API share."""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from portal.extensions import db
from portal.models import Tour, TourType, Unit
from portal.tours.availability import booking_window, slots_by_day
from portal.tours.slots import Slot

TOKEN_LENGTH = 22  # secrets.token_urlsafe(16): 128 random bits


def tour_types_for(property_id: int) -> list[TourType]:
    return list(
        db.session.scalars(
            sa.select(TourType)
            .where(TourType.property_id == property_id, TourType.active.is_(True))
            .order_by(TourType.id)
        )
    )


def tour_type_for(unit: Unit, kind: str | None) -> TourType | None:
    return next((t for t in tour_types_for(unit.property_id) if t.kind == kind), None)


def tour_by_token(token: str) -> Tour | None:
    """The tour behind a manage link; malformed tokens never reach the database."""
    if len(token) != TOKEN_LENGTH or not token.replace("-", "").replace("_", "").isalnum():
        return None
    return db.session.scalar(sa.select(Tour).where(Tour.token == token))


@dataclass(frozen=True)
class DayPlan:
    """The days a tour type can be booked on, and the slots of the chosen day."""

    days: list[tuple[date, int]]  # (local day, free slots), only days with slots
    day: date | None
    slots: list[Slot]


def plan_days(
    tour_type: TourType, wanted: date | None, now: datetime, ignore_tour: Tour | None = None
) -> DayPlan:
    first, last = booking_window(tour_type, now)
    by_day = slots_by_day(tour_type, first, last, now, ignore_tour=ignore_tour)
    days = [(d, len(s)) for d, s in by_day.items() if s]
    day = wanted if wanted in by_day else (days[0][0] if days else None)
    return DayPlan(days, day, by_day.get(day, []) if day else [])
