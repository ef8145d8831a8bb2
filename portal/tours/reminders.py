"""Tour reminders: rows planned with the booking, claimed atomically by the sender.

Each (tour, kind) has one row. A reschedule re-plans the same rows and a cancel marks
them cancelled, in the same transaction as the change, so a reminder can never go out
for a time that no longer holds. Reminders whose moment has already passed when they
are planned are skipped rather than sent late. The prospect's contact preferences
come first (``may_contact``): a reminder waits out quiet hours or a pause when the
tour is still ahead by then, and is skipped otherwise, or after an unsubscribe. The
channel and pace chosen for our other messages do not hold back a reminder of a tour
the prospect booked: like the confirmation, it goes by email.
"""

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa

from portal.extensions import db
from portal.models import ACTIVE_STATUSES, Tour, TourReminder
from portal.prospects.preferences import may_contact, preferences_of
from portal.tours import notices
from portal.tours.tour_settings import TourSettings

log = logging.getLogger(__name__)


def plan(tour: Tour, now: datetime, settings: TourSettings) -> None:
    """Create or supersede the tour's reminders for its current time (flushes)."""
    existing = {
        r.kind: r
        for r in db.session.scalars(sa.select(TourReminder).where(TourReminder.tour_id == tour.id))
    }
    for minutes in settings.reminder_minutes:
        kind = f"{minutes}m"
        due = tour.starts_at - timedelta(minutes=minutes)
        row = existing.get(kind) or TourReminder(tour_id=tour.id, kind=kind)
        row.due_at = due
        row.sequence = tour.sequence
        row.sent_at = None
        row.status = "pending" if due > now else "skipped"
        db.session.add(row)
    db.session.flush()


def cancel(tour: Tour) -> None:
    db.session.execute(
        sa.update(TourReminder)
        .where(TourReminder.tour_id == tour.id, TourReminder.status == "pending")
        .values(status="cancelled")
        .execution_options(synchronize_session="fetch")
    )


def _claim(reminder_id: int, now: datetime) -> bool:
    """Mark one due reminder sent; False if another sender took it or the tour is over."""
    active_and_ahead = (
        sa.select(Tour.id)
        .where(
            Tour.id == TourReminder.tour_id,
            Tour.status.in_(ACTIVE_STATUSES),
            Tour.starts_at > now,
            Tour.sequence == TourReminder.sequence,
        )
        .exists()
    )
    result = db.session.execute(
        sa.update(TourReminder)
        .where(
            TourReminder.id == reminder_id,
            TourReminder.status == "pending",
            TourReminder.due_at <= now,
            active_and_ahead,
        )
        .values(status="sent", sent_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _ask_preferences(reminder_id: int, now: datetime) -> str:
    """What the contact preferences say now: "send", "held" (due again later) or "skipped"."""
    reminder = db.session.get(TourReminder, reminder_id)
    tour = reminder.tour
    decision = may_contact(
        preferences_of(tour.prospect), channel="email", now=now, about_their_booking=True
    )
    if decision.allowed:
        return "send"
    later = decision.not_before
    held = later is not None and later < tour.starts_at
    log.info("reminder %s %s: %s", reminder_id, "held" if held else "skipped", decision.reason)
    db.session.execute(
        sa.update(TourReminder)
        .where(TourReminder.id == reminder_id, TourReminder.status == "pending")
        .values(due_at=later if held else reminder.due_at, status="pending" if held else "skipped")
        .execution_options(synchronize_session="fetch")
    )
    return "held" if held else "skipped"


def send_due(now: datetime, settings: TourSettings, limit: int = 500) -> dict[str, int]:
    """Queue the email of every due reminder (a job boundary: commits per reminder).

    The claim and the queued email commit together, so a reminder is queued exactly
    once even with several senders running; delivery then goes through the outbox.
    A reminder the prospect's preferences hold for later stays pending (counted in
    neither); one they refuse counts as skipped.
    """
    counts = {"sent": 0, "skipped": 0}
    due = db.session.scalars(
        sa.select(TourReminder.id)
        .where(TourReminder.status == "pending", TourReminder.due_at <= now)
        .order_by(TourReminder.due_at)
        .limit(limit)
    ).all()
    for reminder_id in due:
        verdict = _ask_preferences(reminder_id, now)
        if verdict != "send":
            counts["skipped"] += verdict == "skipped"
            db.session.commit()
            continue
        if _claim(reminder_id, now):
            reminder = db.session.get(TourReminder, reminder_id)
            notices.queue(reminder.tour, "reminder", now=now, settings=settings, key=reminder.kind)
            counts["sent"] += 1
        else:
            # Claimed elsewhere, or the tour moved on: make sure it never goes out late.
            db.session.execute(
                sa.update(TourReminder)
                .where(TourReminder.id == reminder_id, TourReminder.status == "pending")
                .values(status="skipped")
                .execution_options(synchronize_session=False)
            )
            counts["skipped"] += 1
        db.session.commit()
    return counts
