"""Queue emails in the outbox and deliver them, at least once, after the commit.

Queuing only flushes: the email becomes visible to the sender when the caller's
transaction commits, so nothing is sent for a change that was rolled back. A
message the recipient did not ask for (``transactional=False``: follow-ups,
marketing) must carry their one-click unsubscribe link, and gets the RFC 8058
headers for it here, so no such message can leave without them; the link in its
footer (``mail.render.EmailFooter``) must be that very URL, so the mail client's
button and the link the reader sees do the same thing.
Delivery claims each row atomically (a conditional UPDATE), so two workers never
send the same email, and a failing SMTP server only delays mail: the row goes back
to the queue with a growing back-off until ``MAX_ATTEMPTS``.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import sqlalchemy as sa
from markupsafe import escape

from portal.auth.services import normalise_email
from portal.extensions import db
from portal.models import OutboxEmail
from portal.models.base import utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
STALE_CLAIM = timedelta(minutes=10)  # a worker that died mid-send releases its claim


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: str


class Sender(Protocol):
    def send(self, email: OutboxEmail) -> None:
        """Deliver one email or raise."""


def unsubscribe_headers(unsubscribe_url: str) -> dict[str, str]:
    """RFC 8058 headers: mail clients show an unsubscribe button that POSTs the URL."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def queue_email(
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    kind: str,
    attachments: Iterable[Attachment] = (),
    headers: dict[str, str] | None = None,
    dedupe_key: str | None = None,
    transactional: bool = True,
    unsubscribe_url: str | None = None,
    message_id: str | None = None,
) -> OutboxEmail:
    """Add an email to the outbox (flushes, does not commit).

    :param dedupe_key: when given and already queued, the existing row is returned
        instead of a second email (retries and double submits send once).
    :param transactional: False for a message the recipient did not ask for; it then
        needs ``unsubscribe_url`` (the recipient's one-click link), which becomes the
        ``List-Unsubscribe`` headers.
    :param message_id: the ``Message-ID`` the caller fixed when it wrote its own row
        (follow-ups), reused on every retry; None: one is made per outbox row.
    :raises ValueError: a non-transactional message without an unsubscribe link, or
        one whose text or HTML does not show that link.
    """
    if not transactional and not unsubscribe_url:
        raise ValueError("a message the recipient did not ask for needs an unsubscribe link")
    if unsubscribe_url and (
        unsubscribe_url not in text
        or (html is not None and str(escape(unsubscribe_url)) not in html)
    ):
        raise ValueError("the unsubscribe header and the link in the message must be the same")
    headers = dict(headers or {})
    if unsubscribe_url:
        headers |= unsubscribe_headers(unsubscribe_url)
    if message_id:
        headers["Message-ID"] = message_id
    if dedupe_key is not None:
        existing = db.session.scalar(
            sa.select(OutboxEmail).where(OutboxEmail.dedupe_key == dedupe_key)
        )
        if existing is not None:
            return existing
    email = OutboxEmail(
        kind=kind,
        dedupe_key=dedupe_key,
        to_address=to,
        subject=subject,
        text_body=text,
        html_body=html,
        attachments=[a.__dict__ for a in attachments],
        headers=headers,
    )
    db.session.add(email)
    db.session.flush()
    return email


def addressed_to(email: str) -> sa.ColumnElement[bool]:
    """Outbox rows to ``email`` however it was spelled (``Carol@Example.com`` or lower case).

    What "my data" exports and erases: every message to the person, not only those
    addressed exactly as they sign in.
    """
    return OutboxEmail.to_normalised == normalise_email(email)


def _claim(email_id: int, now: datetime) -> bool:
    """Take one due email for sending; False if another worker got it first."""
    result = db.session.execute(
        sa.update(OutboxEmail)
        .where(
            OutboxEmail.id == email_id,
            sa.or_(
                sa.and_(OutboxEmail.status == "queued", OutboxEmail.next_attempt_at <= now),
                sa.and_(
                    OutboxEmail.status == "sending", OutboxEmail.claimed_at < now - STALE_CLAIM
                ),
            ),
        )
        .values(status="sending", claimed_at=now, attempts=OutboxEmail.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def due_ids(now: datetime, limit: int) -> list[int]:
    stmt = (
        sa.select(OutboxEmail.id)
        .where(
            sa.or_(
                sa.and_(OutboxEmail.status == "queued", OutboxEmail.next_attempt_at <= now),
                sa.and_(
                    OutboxEmail.status == "sending", OutboxEmail.claimed_at < now - STALE_CLAIM
                ),
            )
        )
        .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def deliver_due(sender: Sender, *, now: datetime | None = None, limit: int = 100) -> dict[str, int]:
    """Send what is due, committing after each email (this is a job boundary).

    :returns: counts of ``sent``, ``retry`` and ``failed`` emails.
    """
    now = now or utcnow()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for email_id in due_ids(now, limit):
        if not _claim(email_id, now):
            continue
        email = db.session.get(OutboxEmail, email_id)
        try:
            sender.send(email)
        except Exception as exc:  # any SMTP or network failure: keep the mail, retry later
            log.warning("outbox email %s not sent (attempt %s): %s", email.id, email.attempts, exc)
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if email.attempts >= MAX_ATTEMPTS:
                email.status = "failed"
                counts["failed"] += 1
            else:
                email.status = "queued"
                email.next_attempt_at = now + timedelta(minutes=2 ** (email.attempts - 1))
                counts["retry"] += 1
        else:
            email.status = "sent"
            email.sent_at = utcnow()
            email.last_error = None
            counts["sent"] += 1
        db.session.commit()
    return counts
