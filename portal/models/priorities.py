"""What matters to a prospect: every change is a new, immutable version.

A version belongs to a prospect or, before sign-in, to an anonymous visitor id;
signing in (or booking with the same email) moves the visitor's versions over.
The answers are one JSON document validated by ``portal.prospects.priorities``.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow

PRIORITY_SOURCES = ("prospect", "agent", "inferred")


class PriorityVersion(db.Model):
    __tablename__ = "priority_version"
    __table_args__ = (
        sa.CheckConstraint("source IN ('prospect', 'agent', 'inferred')", name="source_known"),
        sa.CheckConstraint("prospect_id IS NOT NULL OR visitor_id IS NOT NULL", name="has_owner"),
        sa.Index("ix_priority_version_owner", "prospect_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("prospect.id", ondelete="CASCADE")
    )
    visitor_id: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    source: Mapped[str] = mapped_column(sa.String(16))
    # The staff member who recorded an "agent" version (e.g. on the tour).
    staff_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    answers: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
