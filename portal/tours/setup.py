"""A property's tour set-up: the tour types it offers, its opening hours and holidays.

Admins change these from the staff area; changes apply to new bookings, while booked
tours keep the time they hold. Writers flush and never commit: the caller commits.
"""

from collections.abc import Mapping
from datetime import date, time

import sqlalchemy as sa

from portal.extensions import db
from portal.models import (
    UNVERIFIED_INSTANT_MODES,
    OpeningHours,
    Property,
    PropertyHoliday,
    TourType,
    Unit,
)

# What an admin may change on a tour type (kind, name and property stay as created).
TOUR_TYPE_SETTINGS = (
    "duration_minutes",
    "interval_minutes",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "min_notice_minutes",
    "horizon_days",
    "capacity",
    "confirmation",
    "hold_hours",
    "active",
)


class HolidayExists(ValueError):
    """The property already has a holiday on that day."""


def tour_types_for(property_id: int) -> list[TourType]:
    """The tour types a property offers to visitors now (active ones), in creation order."""
    return list(
        db.session.scalars(
            sa.select(TourType)
            .where(TourType.property_id == property_id, TourType.active.is_(True))
            .order_by(TourType.id)
        )
    )


def tour_type_for(unit: Unit, kind: str | None) -> TourType | None:
    """The offered tour type of ``kind`` for a listing, if its property offers one."""
    return next((t for t in tour_types_for(unit.property_id) if t.kind == kind), None)


def all_tour_types(property_id: int) -> list[TourType]:
    """Every tour type of a property, offered or not (the admin's list)."""
    return list(
        db.session.scalars(
            sa.select(TourType).where(TourType.property_id == property_id).order_by(TourType.id)
        )
    )


def property_tour_type(property_id: int, type_id: int) -> TourType | None:
    tour_type = db.session.get(TourType, type_id)
    return tour_type if tour_type is not None and tour_type.property_id == property_id else None


def update_tour_type(tour_type: TourType, values: Mapping[str, object]) -> None:
    """Store the validated ``TOUR_TYPE_SETTINGS`` in ``values`` on the tour type."""
    for name in TOUR_TYPE_SETTINGS:
        setattr(tour_type, name, values[name])
    db.session.flush()


def set_confirmation(property_id: int, confirmation: str) -> None:
    """One confirmation mode (instant, staff, visitor) for every tour type of the property."""
    for tour_type in all_tour_types(property_id):
        tour_type.confirmation = confirmation
    db.session.flush()


def set_unverified_instant(prop: Property, mode: str) -> None:
    """What instant tour types do for an address nobody has confirmed (flushes).

    :param mode: ``capped`` (confirmed at once up to the booking caps, then by the
        emailed link) or ``link`` (always by the emailed link).
    """
    if mode not in UNVERIFIED_INSTANT_MODES:
        raise ValueError(f"unknown mode {mode!r}")
    prop.unverified_instant = mode
    db.session.flush()


def opening_windows(property_id: int) -> list[tuple[int, time, time]]:
    """The property's weekly opening hours as (weekday, opens, closes)."""
    rows = db.session.scalars(
        sa.select(OpeningHours).where(OpeningHours.property_id == property_id)
    )
    return [(r.weekday, r.opens, r.closes) for r in rows]


def replace_opening_hours(property_id: int, windows: Mapping[int, tuple[time, time]]) -> None:
    """Replace the weekly opening hours with ``windows`` (weekday -> (opens, closes))."""
    db.session.execute(sa.delete(OpeningHours).where(OpeningHours.property_id == property_id))
    for weekday, (opens, closes) in windows.items():
        db.session.add(
            OpeningHours(property_id=property_id, weekday=weekday, opens=opens, closes=closes)
        )
    db.session.flush()


def holidays_of(property_id: int) -> list[PropertyHoliday]:
    return list(
        db.session.scalars(
            sa.select(PropertyHoliday)
            .where(PropertyHoliday.property_id == property_id)
            .order_by(PropertyHoliday.day)
        )
    )


def property_holiday(property_id: int, holiday_id: int) -> PropertyHoliday | None:
    holiday = db.session.get(PropertyHoliday, holiday_id)
    return holiday if holiday is not None and holiday.property_id == property_id else None


def add_holiday(property_id: int, day: date, name: str = "") -> PropertyHoliday:
    """Close the property for tours on ``day``; raises ``HolidayExists`` if it already is."""
    exists = db.session.scalar(
        sa.select(PropertyHoliday.id).where(
            PropertyHoliday.property_id == property_id, PropertyHoliday.day == day
        )
    )
    if exists:
        raise HolidayExists("That day is already a holiday.")
    holiday = PropertyHoliday(property_id=property_id, day=day, name=name.strip())
    db.session.add(holiday)
    db.session.flush()
    return holiday


def remove_holiday(holiday: PropertyHoliday) -> None:
    db.session.delete(holiday)
    db.session.flush()
