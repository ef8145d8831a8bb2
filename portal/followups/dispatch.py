"""Claim due follow-ups with a lease, check the rules, render, hand over: one row, one owner.

1. ``claim`` takes one due row with a conditional UPDATE (scheduled and due, or a lease
   that ran out) and commits: from then on the row is this worker's until ``lease_until``.
2. ``hand_over`` re-reads it in one transaction that starts by re-asserting the lease (a
   conditional UPDATE, which also locks the row on PostgreSQL), asks ``rules.decide`` at
   this moment, composes the message from current data, and either queues it in the outbox
   with its own Message-ID and the unsubscribe URL, sends the SMS, puts the call in the
   agent's list, defers it, or skips it with the reason; then commits once.

A worker that dies between the two loses nothing: the lease runs out and another worker
takes the row; the outbox row only exists if the hand-over committed, and a handed-over
row is never claimed again (``outbox_email_id`` is set), so two workers never hand the
same row twice. Nothing is marked sent here for email: ``sync_outbox`` marks a row sent
when the outbox says the SMTP server accepted it.
"""

import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from portal.extensions import db
from portal.followups.compose import compose
from portal.followups.planner import STOP_STAGES, advance, stop_runs
from portal.followups.rules import Caps, decide, rules_for
from portal.followups.sms import SmsProvider
from portal.geo.settings import GeoSettings
from portal.mail.outbox import queue_email
from portal.models import (
    ContactPreference,
    FollowupMessage,
    FollowupSettings,
    OutboxEmail,
    Prospect,
    Tour,
)
from portal.prospects.contact_links import unsubscribe_url

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 5
SENT_OR_HANDED = ("sending", "sent")


@dataclass
class DispatchContext:
    settings: GeoSettings
    secret_key: str
    sms: SmsProvider
    caps: Caps = field(default_factory=Caps)
    owner: str = field(default_factory=lambda: secrets.token_hex(8))


def _due(now: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(
        FollowupMessage.outbox_email_id.is_(None),
        sa.or_(
            sa.and_(FollowupMessage.status == "scheduled", FollowupMessage.scheduled_for <= now),
            sa.and_(FollowupMessage.status == "sending", FollowupMessage.lease_until < now),
        ),
    )


def due_ids(now: datetime, limit: int) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(FollowupMessage.id)
            .where(_due(now))
            .order_by(FollowupMessage.scheduled_for, FollowupMessage.id)
            .limit(limit)
        )
    )


def claim(message_id: int, owner: str, now: datetime) -> bool:
    """Take one due row for ``owner`` until ``now + LEASE``; commits. False: someone else has it."""
    result = db.session.execute(
        sa.update(FollowupMessage)
        .where(FollowupMessage.id == message_id, _due(now))
        .values(
            status="sending",
            lease_owner=owner,
            lease_until=now + LEASE,
            attempts=FollowupMessage.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _still_mine(message_id: int, owner: str, now: datetime) -> bool:
    result = db.session.execute(
        sa.update(FollowupMessage)
        .where(
            FollowupMessage.id == message_id,
            FollowupMessage.lease_owner == owner,
            FollowupMessage.status == "sending",
            FollowupMessage.outbox_email_id.is_(None),
            FollowupMessage.lease_until >= now,
        )
        .values(lease_until=FollowupMessage.lease_until)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def recent_sends(prospect_id: int, now: datetime) -> list[datetime]:
    """When follow-ups (of every plan) went to the prospect in the week before ``now``."""
    return list(
        db.session.scalars(
            sa.select(FollowupMessage.scheduled_for).where(
                FollowupMessage.prospect_id == prospect_id,
                FollowupMessage.status.in_(SENT_OR_HANDED),
                FollowupMessage.channel != "phone",
                FollowupMessage.outbox_email_id.is_not(None) | (FollowupMessage.status == "sent"),
                FollowupMessage.scheduled_for > now - timedelta(days=7),
                FollowupMessage.scheduled_for <= now,
            )
        )
    )


def _release(message: FollowupMessage) -> None:
    message.lease_owner, message.lease_until = None, None


def _skip(message: FollowupMessage, reason: str, now: datetime) -> str:
    message.status, message.skip_reason = "skipped", reason[:200]
    _release(message)
    db.session.flush()
    advance(message, now)
    return "skipped"


def stop_reason(prospect: Prospect, message: FollowupMessage) -> str | None:
    """Why the plan must not go on at all for this prospect (checked again at send time)."""
    if prospect.erased_at is not None:
        return "erased"
    if prospect.stage in STOP_STAGES:
        return f"stage {prospect.stage}"
    if message.run.status != "active" and message.run.status != "done":
        return message.run.stop_reason or "plan stopped"
    if message.tour_id is not None:
        newer = db.session.scalar(
            sa.select(Tour.id).where(
                Tour.prospect_id == prospect.id,
                Tour.id != message.tour_id,
                Tour.created_at > message.run.started_at,
            )
        )
        if newer is not None:
            return "another tour booked"
    return None


def hand_over(message_id: int, now: datetime, ctx: DispatchContext) -> str:
    """Process one claimed row in one transaction; returns what happened."""
    if not _still_mine(message_id, ctx.owner, now):
        db.session.rollback()
        return "lost_lease"
    message = db.session.get(FollowupMessage, message_id)
    prospect = db.session.get(Prospect, message.prospect_id)
    reason = stop_reason(prospect, message)
    if reason is not None:
        if message.run.status == "active":
            stop_runs(prospect.id, reason, now=now)
            message = db.session.get(FollowupMessage, message_id)
        outcome = _skip(message, f"plan stopped: {reason}", now)
        db.session.commit()
        return outcome
    prefs = db.session.get(ContactPreference, prospect.id)
    rules = rules_for(prefs, message.plan.property.time_zone)
    decision = decide(
        rules=rules,
        step_channel=message.step.channel,
        now=now,
        expires_at=message.expires_at,
        recent=recent_sends(prospect.id, now),
        caps=ctx.caps,
        has_email=bool(prospect.email),
        has_phone=bool(prospect.phone),
    )
    if decision.action == "skip":
        outcome = _skip(message, decision.reason, now)
    elif decision.action == "defer":
        message.status, message.scheduled_for = "scheduled", decision.at
        message.skip_reason = None
        _release(message)
        outcome = "deferred"
    else:
        outcome = _deliver(message, prospect, decision.channel, now, ctx)
    db.session.commit()
    return outcome


def _deliver(
    message: FollowupMessage, prospect: Prospect, channel: str, now: datetime, ctx: DispatchContext
) -> str:
    composed = compose(message, ctx.settings, secret_key=ctx.secret_key)
    if composed.rendered is None:
        return _skip(message, composed.skip_reason or "could not be composed", now)
    rendered = composed.rendered
    message.channel = channel
    message.subject, message.text_body = rendered.subject, rendered.text
    message.facts = [{"key": k, "value": v} for k, v in rendered.facts]
    message.scheduled_for = now
    _release(message)
    if channel == "phone":
        # The agent calls: the row waits in their list as a task (approve = "called").
        message.status = "awaiting_review"
        return "task"
    if channel == "sms":
        ctx.sms.send(to=prospect.phone, text=rendered.text, message_id=message.message_id, now=now)
        message.status, message.sent_at = "sent", now
        db.session.flush()
        advance(message, now)
        return "sent"
    email = queue_email(
        to=prospect.email,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        kind="followup",
        transactional=False,
        unsubscribe_url=unsubscribe_url(prospect, secret_key=ctx.secret_key),
        # The Message-ID is unique for ever (ids of deleted rows can come back).
        dedupe_key=f"followup:{message.message_id}",
        message_id=message.message_id,
    )
    message.outbox_email_id = email.id
    db.session.flush()
    advance(message, now)
    return "handed"


def _fail_or_retry(message_id: int, now: datetime, error: Exception) -> str:
    message = db.session.get(FollowupMessage, message_id)
    _release(message)
    if message.attempts >= MAX_ATTEMPTS:
        message.status, message.skip_reason = "failed", f"{type(error).__name__}: {error}"[:200]
        outcome = "failed"
    else:
        message.status = "scheduled"
        message.scheduled_for = now + timedelta(minutes=2**message.attempts)
        outcome = "retry"
    db.session.commit()
    return outcome


# What a follow-up handed to the outbox becomes when its outbox row did: status, reason.
OUTBOX_OUTCOMES = {
    "sent": ("sent", None),
    "failed": ("failed", "the mail server refused it"),
    # The address is on the do-not-contact list (a hard bounce): skipped, never retried.
    "suppressed": ("skipped", "the address is on the do-not-contact list"),
}


def sync_outbox() -> int:
    """Rows handed to the outbox become sent, failed or skipped when the outbox row did;
    commits nothing (the caller does). Returns how many rows changed."""
    of_the_row = OutboxEmail.id == FollowupMessage.outbox_email_id
    outbox_status = sa.select(OutboxEmail.status).where(of_the_row).scalar_subquery()
    sent_at = sa.select(OutboxEmail.sent_at).where(of_the_row).scalar_subquery()
    changed = 0
    for outbox, (status, reason) in OUTBOX_OUTCOMES.items():
        values = {"status": status}
        values |= {"sent_at": sent_at} if status == "sent" else {"skip_reason": reason}
        changed += db.session.execute(
            sa.update(FollowupMessage)
            .where(
                FollowupMessage.status == "sending",
                FollowupMessage.outbox_email_id.is_not(None),
                outbox_status == outbox,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        ).rowcount
    return changed


def expire_unanswered(now: datetime) -> int:
    """Rows waiting for the agent (a message to review, a call to make) whose step has
    expired by ``now`` are skipped with the reason, as a step that could not go in time
    is, and the run goes on to its next step (flushes). Returns how many."""
    expired = db.session.scalars(
        sa.select(FollowupMessage)
        .where(FollowupMessage.status == "awaiting_review", FollowupMessage.expires_at < now)
        .order_by(FollowupMessage.id)
    ).all()
    for message in expired:
        waited_for = "call" if message.channel == "phone" else "review"
        _skip(message, f"expired: no {waited_for} before the step's last day", now)
    return len(expired)


def dispatch_due(now: datetime, ctx: DispatchContext, *, limit: int = 500) -> dict[str, int]:
    """Claim and hand over every due row (a job boundary: commits per row)."""
    counts: dict[str, int] = {}
    for message_id in due_ids(now, limit):
        if not claim(message_id, ctx.owner, now):
            continue
        try:
            outcome = hand_over(message_id, now, ctx)
        except Exception as exc:  # a render or SMS failure: keep the row, retry later
            log.exception("follow-up %s not handed over", message_id)
            db.session.rollback()
            outcome = _fail_or_retry(message_id, now, exc)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def send_mode(property_id: int) -> str:
    settings = db.session.get(FollowupSettings, property_id)
    return settings.send_mode if settings is not None else "auto"
