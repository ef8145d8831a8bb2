"""Emails waiting to be sent: written in the same transaction as the change they report."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, validates

from portal.extensions import db
from portal.models.base import UTCDateTime, column_in, utcnow

OUTBOX_STATUSES = ("queued", "sending", "sent", "failed")


class OutboxEmail(db.Model):
    __tablename__ = "outbox_email"
    __table_args__ = (
        sa.CheckConstraint(column_in("status", OUTBOX_STATUSES), name="status_known"),
        sa.Index("ix_outbox_email_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    # Idempotency: the same logical message (e.g. "confirmation of tour X, sequence 2") is
    # queued once even if the request that queues it is retried.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
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
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @validates("to_address")
    def _normalise_to(self, _key: str, address: str) -> str:
        # The same rule as portal.auth.services.normalise_email.
        self.to_normalised = (address or "").strip().lower()
        return address
