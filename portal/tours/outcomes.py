"""What happened at a tour, as the agent records it: check-in, no-show, completed.

The completion form is ``portal.tours.capture.record_capture``; a completion without
it (the outcome buttons) is ``record_outcome``. Both complete a tour through
``capture.complete_tour``.

Each function changes the tour, publishes its ``TourEvent`` in the caller's
transaction and only flushes; the view or API endpoint commits. ``Tour.version`` is
bumped on the UPDATE, so a check-in on a tour changed meanwhile is a conflict.
"""

from datetime import datetime, timedelta

from portal.extensions import db
from portal.models import StaffUser, Tour
from portal.tours.booking import record_status
from portal.tours.booking_errors import TourClosed
from portal.tours.capture import CaptureConflict, check_state, complete_tour, flush_tour
from portal.tours.events import TourEvent, publish

# An agent may check a visitor in from this long before the start until the end.
CHECK_IN_EARLY = timedelta(minutes=30)


def check_in_open(
    status: str,
    checked_in_at: datetime | None,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
) -> bool:
    """Is a tour with these columns confirmed, not yet checked in, and around its time?"""
    return (
        status in ("confirmed", "rescheduled")
        and checked_in_at is None
        and starts_at - CHECK_IN_EARLY <= now <= ends_at
    )


def can_check_in(tour: Tour, now: datetime) -> bool:
    return check_in_open(tour.status, tour.checked_in_at, tour.starts_at, tour.ends_at, now)


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
    return _no_show(tour, f"staff:{staff.id}", expected_version, now)


def _no_show(tour: Tour, actor: str, expected_version: int, now: datetime) -> Tour:
    check_state(tour, expected_version, now, ("confirmed", "rescheduled"))
    if tour.checked_in_at is not None:
        raise CaptureConflict("This visitor was checked in; record the tour instead.", tour)
    if tour.starts_at > now:
        raise CaptureConflict("A tour can be marked as a no-show once it has started.", tour)
    record_status(tour, "no_show", actor)
    tour.updated_at = now
    flush_tour(tour)
    publish(TourEvent("no_show", tour, now, actor=actor))
    return tour


def _completed(tour: Tour, actor: str, expected_version: int, now: datetime) -> Tour:
    check_state(tour, expected_version, now, ("confirmed", "rescheduled"))
    if tour.starts_at > now:
        raise CaptureConflict("A tour can be marked completed once it has started.", tour)
    complete_tour(tour, actor, now)
    tour.updated_at = now
    flush_tour(tour)
    publish(TourEvent("completed", tour, now, actor=actor))
    return tour


def record_outcome(
    tour: Tour, outcome: str, *, now: datetime, actor: str, expected_version: int | None = None
) -> Tour:
    """Mark a started tour "completed" (without the completion form) or "no_show".

    The outcome buttons of ``/staff/tours`` and the demo come here; the capture page
    and the API use ``mark_no_show`` and ``record_capture``. All go through the same
    checks and ``complete_tour``, so a tour's outcome is published once: pressing
    "completed" on a completed tour is a conflict, not a second event. (A completion
    form recorded afterwards publishes its own ``captured``.)

    :param expected_version: the ``Tour.version`` the page showed; None for the tour
        as it is now (the buttons' page carries no version).
    :raises CaptureConflict: the tour is not a confirmed tour that has started.
    """
    version = tour.version if expected_version is None else expected_version
    if outcome == "no_show":
        return _no_show(tour, actor, version, now)
    if outcome == "completed":
        return _completed(tour, actor, version, now)
    raise ValueError(f"unknown outcome {outcome!r}")
