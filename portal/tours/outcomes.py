"""What happened at a tour, as the agent records it: check-in and no-show.

The completion form is ``portal.tours.capture.record_capture``.

Each function changes the tour, publishes its ``TourEvent`` in the caller's
transaction and only flushes; the view or API endpoint commits. ``Tour.version`` is
bumped on the UPDATE, so a check-in on a tour changed meanwhile is a conflict.
"""

from datetime import datetime, timedelta

from portal.extensions import db
from portal.models import StaffUser, Tour
from portal.tours.booking import record_status
from portal.tours.booking_errors import TourClosed
from portal.tours.capture import CaptureConflict, check_state, flush_tour
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


def mark_no_show(tour: Tour, staff: StaffUser, expected_version: int, now: datetime) -> Tour:
    """Record that the visitor did not come; publishes ``no_show`` (flushes).

    :raises CaptureConflict: the tour is not a confirmed tour that has started, was
        checked in, or changed since ``expected_version``.
    """
    check_state(tour, expected_version, now, ("confirmed", "rescheduled"))
    if tour.checked_in_at is not None:
        raise CaptureConflict("This visitor was checked in; record the tour instead.", tour)
    if tour.starts_at > now:
        raise CaptureConflict("A tour can be marked as a no-show once it has started.", tour)
    actor = f"staff:{staff.id}"
    record_status(tour, "no_show", actor)
    tour.updated_at = now
    flush_tour(tour)
    publish(TourEvent("no_show", tour, now, actor=actor))
    return tour
