"""How tour times read on pages and in emails: always in the property's own time zone."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask

KIND_LABELS = {
    "guided": "Guided tour with an agent",
    "self_guided": "Self-guided tour",
    "video": "Live video tour",
}
STATUS_LABELS = {
    "requested": "Requested – waiting for our confirmation",
    "confirmed": "Confirmed",
    "rescheduled": "Confirmed (moved)",
    "cancelled_by_prospect": "Cancelled by you",
    "cancelled_by_staff": "Cancelled by us",
    "expired": "Request expired",
    "completed": "Completed",
    "no_show": "Missed",
}


def confirmation_note(tour_type, signed_in: bool) -> str | None:
    """How the booking will be confirmed, in the visitor's words (booking flow), or None.

    An instant tour type is instant for a signed-in prospect booking with their own
    address; for anyone else it depends on the property's choice (README "Booking limits").
    """
    if tour_type.confirmation == "staff":
        return "Our team confirms each request by email; your time is held meanwhile."
    if tour_type.confirmation == "visitor":
        return "We email you a link to confirm the tour; your time is held meanwhile."
    if signed_in:
        return "Booked with the email you are signed in with, your tour is confirmed at once."
    if tour_type.property.unverified_instant == "link":
        return (
            "We email you a link to confirm the tour; your time is held meanwhile. "
            "Signed in with your email, it is confirmed at once."
        )
    return (
        "Your tour is confirmed at once. If your email already has several tours booked, "
        "we ask you to confirm this one from the link we email you."
    )


def in_zone(value: datetime, tz_name: str) -> datetime:
    return value.astimezone(ZoneInfo(tz_name))


def tour_day(value: datetime, tz_name: str) -> str:
    """'Tuesday 24 November 2026' in the property's zone."""
    local = in_zone(value, tz_name)
    return f"{local:%A} {local.day} {local:%B %Y}"


def tour_time(value: datetime, tz_name: str) -> str:
    """'14:30' in the property's zone."""
    return f"{in_zone(value, tz_name):%H:%M}"


def tour_when(value: datetime, tz_name: str) -> str:
    """'Tuesday 24 November 2026 at 14:30 (Helsinki time, EET)'."""
    local = in_zone(value, tz_name)
    city = tz_name.rsplit("/", 1)[-1].replace("_", " ")
    return f"{tour_day(value, tz_name)} at {local:%H:%M} ({city} time, {local:%Z})"


def register(app: Flask) -> None:
    """Give ``app``'s templates the tour time filters and the kind and status labels."""
    app.add_template_filter(tour_day)
    app.add_template_filter(tour_time)
    app.add_template_filter(tour_when)
    app.add_template_global(KIND_LABELS, "TOUR_KIND_LABELS")
    app.add_template_global(STATUS_LABELS, "TOUR_STATUS_LABELS")
    app.add_template_global(confirmation_note, "tour_confirmation_note")
