"""Deliver queued email after the transaction that queued it commits.

A session event notices outbox rows written in a transaction and, only once it
commits, schedules the delivery job. A rolled-back booking therefore never sends
mail, and a slow or failing SMTP server never holds up the request.
"""

import logging
from datetime import timedelta

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.jobs import run_later
from portal.mail.outbox_leases import next_due_at
from portal.mail.sender import deliver_due
from portal.models import OutboxEmail
from portal.models.base import utcnow

log = logging.getLogger(__name__)
_PENDING_FLAG = "outbox_pending"
_ZERO = timedelta(0)
JOB = "portal.mail.delivery:deliver_outbox"


def deliver_outbox() -> dict[str, int]:
    """Job: send what is due; if some must be retried, come back when the first is due."""
    if not current_app.config.get("MAIL_SMTP_HOST"):
        # Development: mail stays in the outbox, readable at /dev/outbox.
        return {"sent": 0, "retry": 0, "failed": 0}
    report = deliver_due(utcnow())
    if report.retry:
        next_due = next_due_at()
        if next_due is not None:
            run_later(JOB, delay=max(next_due - utcnow(), _ZERO))
    return report.as_dict()


def _note_outbox_rows(session: Session, flush_context, instances) -> None:
    if any(isinstance(obj, OutboxEmail) for obj in session.new):
        session.info[_PENDING_FLAG] = True


def _schedule_after_commit(session: Session) -> None:
    if not session.info.pop(_PENDING_FLAG, False) or not has_app_context():
        return
    try:
        run_later(JOB)
    except Exception:  # scheduling must never break the request that already committed
        log.exception("could not schedule outbox delivery; the worker will pick it up")


def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING_FLAG, None)


def register(app: Flask) -> None:
    if getattr(register, "_done", False):
        return
    event.listen(Session, "before_flush", _note_outbox_rows)
    event.listen(Session, "after_commit", _schedule_after_commit)
    event.listen(Session, "after_soft_rollback", lambda s, prev: _forget_after_rollback(s))
    register._done = True
