"""Listings a prospect (or an anonymous visitor) saved."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow


class Favourite(db.Model):
    __tablename__ = "favourite"
    __table_args__ = (
        sa.UniqueConstraint("prospect_id", "unit_id", name="uq_favourite_prospect_unit"),
        sa.UniqueConstraint("visitor_id", "unit_id", name="uq_favourite_visitor_unit"),
        sa.CheckConstraint("prospect_id IS NOT NULL OR visitor_id IS NOT NULL", name="has_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("prospect.id", ondelete="CASCADE")
    )
    visitor_id: Mapped[str | None] = mapped_column(sa.String(32))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
