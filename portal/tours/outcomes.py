"""What happened at a tour, as the agent records it: check-in (no-show and completion next).

Each function changes the tour, publishes its ``TourEvent`` in the caller's
transaction and only flushes; the view or API endpoint commits. ``Tour.version`` is
bumped on the UPDATE, so a check-in on a tour changed meanwhile is a conflict.
"""

from datetime import datetime, timedelta

from portal.extensions import db
from portal.models import StaffUser, Tour
from portal.tours.booking import TourClosed
from portal.tours.events import TourEvent, publish

# An agent may check a visitor in from this long before the start until the end.
CHECK_IN_EARLY = timedelta(minutes=30)


def can_check_in(tour: Tour, now: datetime) -> bool:
    """Is ``tour`` confirmed, not yet checked in, and around its time?"""
    return (
        tour.status in ("confirmed", "rescheduled")
        and tour.checked_in_at is None
        and tour.starts_at - CHECK_IN_EARLY <= now <= tour.ends_at
    )


def check_in(tour: Tour, staff: StaffUser, now: datetime) -> Tour:
    """Record that the visitor arrived (or joined the call); publishes ``checked_in``.

    :raises TourClosed: the tour is not confirmed, already checked in, or not around
        its time (from ``CHECK_IN_EARLY`` before the start until its end).
    """
    if tour.status not in ("confirmed", "rescheduled"):
        raise TourClosed("Only a confirmed tour can be checked in.")
    if tour.checked_in_at is not None:
        raise TourClosed("This visitor is already checked in.")
    if not tour.starts_at - CHECK_IN_EARLY <= now <= tour.ends_at:
        raise TourClosed("Check-in opens 30 minutes before the tour and closes at its end.")
    tour.checked_in_at = now
    db.session.flush()  # bumps Tour.version; a stale row raises StaleDataError here
    publish(TourEvent("checked_in", tour, now, actor=f"staff:{staff.id}"))
    return tour
