"""One follow-up pass: plan, dispatch, deliver the outbox, mark what the server accepted.

The same function runs from ``flask followups run`` (in-process) and as an RQ job
(``portal.followups.worker:run_pass``) when REDIS_URL is set, so several machines can
share the work: the leases in ``dispatch`` keep them from ever handing a row twice.
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from portal.extensions import db
from portal.followups.dispatch import (
    DispatchContext,
    dispatch_due,
    expire_unanswered,
    sync_outbox,
)
from portal.followups.enrolment import enrol_favourites
from portal.followups.planner import plan_messages
from portal.followups.rules import Caps
from portal.followups.sms import sms_provider
from portal.mail.delivery import deliver_outbox
from portal.models import FollowupMessage, OutboxEmail
from portal.models.base import UTCDateTime, utcnow
from portal.settings import geo_settings

JOB = "portal.followups.worker:run_pass"


def parse_now(value: str | None) -> datetime:
    """``--now`` as an aware UTC instant (a naive value is read as UTC); None: the real clock."""
    if not value:
        return utcnow()
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def dispatch_context() -> DispatchContext:
    return DispatchContext(
        settings=geo_settings(),
        secret_key=current_app.config["SECRET_KEY"],
        sms=sms_provider(),
        caps=Caps.from_config(current_app.config),
    )


def run_pass(now_iso: str | None = None, *, deliver: bool = True) -> dict[str, int]:
    """Plan, dispatch, deliver and sync once at ``now_iso`` (ISO-8601; None: now). Commits."""
    now = parse_now(now_iso)
    counts = {"enrolled": enrol_favourites(now)}
    db.session.commit()
    counts |= plan_messages(now, on_batch=db.session.commit)
    counts["expired"] = expire_unanswered(now)
    db.session.commit()
    for outcome, n in dispatch_due(now, dispatch_context()).items():
        counts[outcome] = n
    if deliver:
        mail = deliver_outbox()
        counts["mail_sent"] = mail["sent"]
    counts["synced"] = sync_outbox()
    db.session.commit()
    return counts


def _backlog_statement() -> sa.Select:
    before = sa.bindparam("before", type_=UTCDateTime)
    waiting = sa.select(sa.func.count(FollowupMessage.id)).where(
        FollowupMessage.status == "scheduled", FollowupMessage.scheduled_for < before
    )
    # From the outbox side: the rows waiting too long are few (none while mail flows),
    # while handed-over messages stay "sending" until the sync marks them sent. EXISTS
    # keeps that order (as a join, SQLite started from the messages).
    handed_over = (
        sa.select(FollowupMessage.id)
        .where(
            FollowupMessage.outbox_email_id == OutboxEmail.id,
            FollowupMessage.status == "sending",
        )
        .exists()
    )
    stuck = sa.select(sa.func.count(OutboxEmail.id)).where(
        OutboxEmail.status.in_(("queued", "sending")),
        OutboxEmail.created_at < before,
        handed_over,
    )
    return sa.select(waiting.scalar_subquery() + stuck.scalar_subquery())


# Every staff page shows the warning, so it is one statement, built once (building it
# took longer than running it on a small table).
_BACKLOG = _backlog_statement()


def backlog(now: datetime, config) -> int:
    """Messages overdue by more than FOLLOWUPS_BACKLOG_MINUTES: due and not handed over, or
    handed over and still waiting in the outbox (the mail server is down)."""
    before = now - timedelta(minutes=int(config.get("FOLLOWUPS_BACKLOG_MINUTES", 15)))
    return db.session.scalar(_BACKLOG, {"before": before}) or 0
