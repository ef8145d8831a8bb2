"""Queue emails in the outbox; ``portal.mail.sender`` delivers them after the commit.

Queuing only flushes: the email becomes visible to the sender when the caller's
transaction commits, so nothing is sent for a change that was rolled back. A
message the recipient did not ask for (``transactional=False``: follow-ups,
marketing) must carry their one-click unsubscribe link, and gets the RFC 8058
headers for it here, so no such message can leave without them; the link in its
footer (``mail.render.EmailFooter``) must be that very URL, so the mail client's
button and the link the reader sees do the same thing.

Each row gets its Message-ID here, once: every attempt to send it, after a retry or a
crash, carries the same one (``portal.mail.headers``).
"""

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from markupsafe import escape

from portal.auth.services import normalise_email
from portal.extensions import db
from portal.mail.headers import (
    check_message_id,
    message_id_domain,
    new_message_id,
    unsubscribe_headers,
)
from portal.models import OutboxEmail

__all__ = ["Attachment", "addressed_to", "queue_email", "unsubscribe_headers"]


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: str


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
    :param message_id: the message's ``<left@domain>`` Message-ID, when the caller made
        one (e.g. to thread replies); by default one is made now in our domain. Either
        way it is stored and sent unchanged on every attempt.
    :raises ValueError: a non-transactional message without an unsubscribe link, or
        one whose text or HTML does not show that link, or a malformed ``message_id``.
    """
    if not transactional and not unsubscribe_url:
        raise ValueError("a message the recipient did not ask for needs an unsubscribe link")
    if unsubscribe_url and (
        unsubscribe_url not in text
        or (html is not None and str(escape(unsubscribe_url)) not in html)
    ):
        raise ValueError("the unsubscribe header and the link in the message must be the same")
    if message_id is not None:
        check_message_id(message_id)
    headers = dict(headers or {})
    if unsubscribe_url:
        headers |= unsubscribe_headers(unsubscribe_url)
    if dedupe_key is not None:
        existing = db.session.scalar(
            sa.select(OutboxEmail).where(OutboxEmail.dedupe_key == dedupe_key)
        )
        if existing is not None:
            return existing
    email = OutboxEmail(
        kind=kind,
        message_id=message_id or new_message_id(message_id_domain(current_app.config)),
        transactional=transactional,
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
