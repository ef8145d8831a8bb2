"""How, how often and when a prospect agrees to hear from us."""

from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow

CONTACT_CHANNELS = ("email", "sms", "phone", "none")
CONTACT_PACES = ("any", "weekly", "on_request")


class ContactPreference(db.Model):
    __tablename__ = "contact_preference"
    __table_args__ = (
        sa.CheckConstraint("channel IN ('email', 'sms', 'phone', 'none')", name="channel_known"),
        sa.CheckConstraint("pace IN ('any', 'weekly', 'on_request')", name="pace_known"),
    )

    prospect_id: Mapped[int] = mapped_column(
        sa.ForeignKey("prospect.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(sa.String(8), default="email")
    pace: Mapped[str] = mapped_column(sa.String(12), default="any")
    # Quiet hours in the prospect's local time; may wrap midnight (21:00–08:00).
    quiet_from: Mapped[time | None]
    quiet_until: Mapped[time | None]
    time_zone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Helsinki")
    paused_until: Mapped[date | None]
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
