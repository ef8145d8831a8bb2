"""The agent's hand on a prospect's follow-ups: preview, edit, approve, reschedule, skip.

Plain services for the staff page (and any later API): they take the staff user and the
clock as arguments, flush, and never commit. A message can be changed only while it is
pending (scheduled or awaiting review); what was handed over or sent is history.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from portal.extensions import db
from portal.followups.compose import Composed, compose
from portal.followups.planner import PENDING, advance, stop_runs
from portal.geo.settings import GeoSettings
from portal.models import FollowupMessage, FollowupRun, StaffUser

EDIT_SUBJECT_MAX = 200
EDIT_TEXT_MAX = 5000


class NotChangeable(Exception):
    """The message is no longer pending (sent, handed over or skipped)."""

    def __init__(self, message: str = "This message was already sent or skipped."):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class QueueEntry:
    message: FollowupMessage
    preview: Composed | None  # pending messages: exactly as they would go now


def queue_of(prospect_id: int, settings: GeoSettings, *, secret_key: str) -> list[QueueEntry]:
    """The prospect's follow-ups: pending ones with their preview first, then the rest."""
    rows = db.session.scalars(
        sa.select(FollowupMessage)
        .where(FollowupMessage.prospect_id == prospect_id)
        .order_by(FollowupMessage.scheduled_for, FollowupMessage.id)
    ).all()
    pending = [m for m in rows if m.status in PENDING]
    done = sorted((m for m in rows if m.status not in PENDING), key=lambda m: -m.id)
    return [QueueEntry(m, compose(m, settings, secret_key=secret_key)) for m in pending] + [
        QueueEntry(m, None) for m in done
    ]


def message_for(prospect_id: int, message_id: int) -> FollowupMessage | None:
    return db.session.scalar(
        sa.select(FollowupMessage).where(
            FollowupMessage.id == message_id, FollowupMessage.prospect_id == prospect_id
        )
    )


def _pending(message: FollowupMessage) -> None:
    if message.status not in PENDING:
        raise NotChangeable()


def approve(message: FollowupMessage, staff: StaffUser, now: datetime) -> None:
    """Let a reviewed message go at its time (the rules are checked again then); a phone
    task approved means the call was made."""
    _pending(message)
    message.approved_by, message.approved_at = staff.id, now
    if message.channel == "phone":
        message.status, message.sent_at, message.scheduled_for = "sent", now, now
        db.session.flush()
        advance(message, now)
        return
    message.status = "scheduled"
    db.session.flush()


def edit(message: FollowupMessage, subject: str, text: str, staff: StaffUser) -> None:
    """Replace the rendered text with the agent's words (sent as written; flushes)."""
    _pending(message)
    message.edited_subject, message.edited_text = subject.strip(), text.strip()
    if message.status == "scheduled":
        # An edited message waits for the agent's approval again, whatever the mode.
        message.status = "awaiting_review"
    message.approved_by, message.approved_at = None, None
    db.session.flush()


def reschedule(message: FollowupMessage, when: datetime, now: datetime) -> None:
    """Move a pending message; its last day moves with it (rules still apply at send)."""
    _pending(message)
    if when <= now:
        raise NotChangeable("Choose a time in the future.")
    message.scheduled_for = when
    message.expires_at = max(
        message.expires_at, when + timedelta(days=message.step.expires_after_days)
    )
    db.session.flush()


def skip(message: FollowupMessage, reason: str, staff: StaffUser, now: datetime) -> None:
    """Skip a pending message with the agent's reason; the plan goes on to its next step."""
    _pending(message)
    message.status = "skipped"
    message.skip_reason = f"skipped by {staff.name}: {reason.strip()}"[:200]
    db.session.flush()
    advance(message, now)


def mark_replied(prospect_id: int, staff: StaffUser, now: datetime) -> int:
    """The prospect answered: every plan stops (the conversation is the agent's now).

    The runs keep when the reply was marked, for the insights' follow-up performance.
    """
    db.session.execute(
        sa.update(FollowupRun)
        .where(FollowupRun.prospect_id == prospect_id, FollowupRun.status == "active")
        .values(replied_at=now)
        .execution_options(synchronize_session=False)
    )
    return stop_runs(prospect_id, f"replied (marked by {staff.name})", now=now)


def pause(prospect_id: int, staff: StaffUser, now: datetime) -> int:
    """Stop every plan for this prospect at the agent's word."""
    return stop_runs(prospect_id, f"paused by {staff.name}", now=now)
