"""Shared helpers for the tour tests: times on the booking grid, form posts."""

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from portal.extensions import db
from portal.models import OutboxEmail, Tour
from portal.models.base import utcnow
from portal.tours.booking import Contact, book_tour
from portal.tours.tour_settings import TourSettings


def local_slot(days_ahead: int = 2, at: time = time(10), tz: str = "Europe/Helsinki") -> datetime:
    """A UTC instant ``days_ahead`` local days from today at local time ``at``."""
    day = datetime.now(ZoneInfo(tz)).date() + timedelta(days=days_ahead)
    return datetime.combine(day, at, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def on_day(day: date, at: time, tz: str) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def iso(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def booking_data(kind: str, start: datetime, **fields) -> dict:
    data = {
        "type": kind,
        "start": iso(start),
        "name": "Pia Prospect",
        "email": "pia@example.com",
        "phone": "",
        "contact_channel": "email",
    }
    data.update(fields)
    return data


def tours() -> list[Tour]:
    return list(db.session.scalars(sa.select(Tour).order_by(Tour.id)))


def emails(kind: str | None = None) -> list[OutboxEmail]:
    stmt = sa.select(OutboxEmail).order_by(OutboxEmail.id)
    if kind:
        stmt = stmt.where(OutboxEmail.kind == kind)
    return list(db.session.scalars(stmt))


def token_from(location: str) -> str:
    return re.search(r"/tours/m/([A-Za-z0-9_\-]{22})", location).group(1)


def confirm_path_from(email: OutboxEmail) -> str:
    """The path of the emailed confirmation link (only ever in the mail, never on a page)."""
    link = re.search(r"(/tours/m/[A-Za-z0-9_\-]{22}/confirm/[0-9a-f]{32})", email.text_body)
    return link.group(1)


def book_and_commit(tour_type, start: datetime, email: str = "pia@example.com") -> Tour:
    """Book ``start`` for Pia (or ``email``) now, with default settings, and commit."""
    tour, _ = book_tour(
        tour_type, start, Contact("Pia", email), now=utcnow(), settings=TourSettings()
    )
    db.session.commit()
    return tour
