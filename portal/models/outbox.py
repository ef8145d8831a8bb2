"""Emails waiting to be sent: written in the same transaction as the change they report.

The delivery side of the aggregate lives here too: the lease a sender holds on a row
while it is on the wire, and the addresses that must not get mail again
(``MailSuppression``, filled by 5xx answers and hard bounces).
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, validates

from portal.extensions import db
from portal.models.base import UTCDateTime, column_in, utcnow

# queued → sending (leased by one worker) → sent; or back to queued (4xx, retried with a
# back-off), failed (5xx, or out of attempts), suppressed (never sent: the address is on
# the do-not-contact list).
OUTBOX_STATUSES = ("queued", "sending", "sent", "failed", "suppressed")
SUPPRESSION_REASONS = ("rejected", "bounced", "complaint")


def default_message_id() -> str:
    """A new Message-ID in our domain, for a row written without ``queue_email``."""
    from flask import current_app

    from portal.mail.headers import message_id_domain, new_message_id

    return new_message_id(message_id_domain(current_app.config))


class OutboxEmail(db.Model):
    __tablename__ = "outbox_email"
    __table_args__ = (
        sa.CheckConstraint(column_in("status", OUTBOX_STATUSES), name="status_known"),
        sa.Index("ix_outbox_email_due", "status", "next_attempt_at"),
        # The staff pages' backlog warning: what has waited too long.
        sa.Index("ix_outbox_email_waiting", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    # Idempotency: the same logical message (e.g. "confirmation of tour X, sequence 2") is
    # queued once even if the request that queues it is retried.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    # Made once when the row is written and sent on every attempt, so a message repeated
    # after a crash or a timeout is recognisably the same message to the recipient's server.
    message_id: Mapped[str] = mapped_column(
        sa.String(250), unique=True, default=lambda: default_message_id()
    )
    # False for mail the recipient did not ask for (follow-ups, marketing): it carries the
    # one-click unsubscribe headers and is never sent to a suppressed address.
    transactional: Mapped[bool] = mapped_column(default=True)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    # Lower-cased and trimmed: export and erasure find a person's mail whatever the case
    # it was addressed in (``Carol@Example.com`` booked, ``carol@example.com`` signed in).
    to_normalised: Mapped[str] = mapped_column(sa.String(254), index=True)
    subject: Mapped[str] = mapped_column(sa.String(300))
    text_body: Mapped[str] = mapped_column(sa.Text)
    html_body: Mapped[str | None] = mapped_column(sa.Text)
    # [{"filename", "content_type", "content"}] with text content (e.g. an .ics invitation).
    attachments: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)
    headers: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The lease: who took the row for sending, when, and until when it is theirs. A row
    # still "sending" after ``lease_expires_at`` was left by a crashed worker.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(sa.String(120))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @validates("to_address")
    def _normalise_to(self, _key: str, address: str) -> str:
        # The same rule as portal.auth.services.normalise_email.
        self.to_normalised = (address or "").strip().lower()
        return address


class MailSuppression(db.Model):
    """An address that must not get mail we were not asked for: its server refused it for
    good (5xx), or it hard-bounced. Read by the follow-up rules through
    ``portal.mail.suppression``."""

    __tablename__ = "mail_suppression"
    __table_args__ = (
        sa.CheckConstraint(column_in("reason", SUPPRESSION_REASONS), name="reason_known"),
    )

    address: Mapped[str] = mapped_column(sa.String(254), primary_key=True)  # normalised
    reason: Mapped[str] = mapped_column(sa.String(12))
    detail: Mapped[str | None] = mapped_column(sa.Text)  # the server's answer
    outbox_email_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("outbox_email.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
