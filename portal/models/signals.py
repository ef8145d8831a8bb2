"""Browsing signals: small events recorded (with consent) to infer interests."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow

SIGNAL_KINDS = (
    "listing_view",
    "photo_opened",
    "window_view_opened",
    "virtual_tour_opened",
    "category_expanded",
    "commute_checked",
    "favourite_added",
    "compare_used",
    "tour_booked",
)


class BrowsingSignal(db.Model):
    __tablename__ = "browsing_signal"
    __table_args__ = (
        sa.CheckConstraint(
            "kind IN ('listing_view', 'photo_opened', 'window_view_opened', "
            "'virtual_tour_opened', 'category_expanded', 'commute_checked', "
            "'favourite_added', 'compare_used', 'tour_booked')",
            name="kind_known",
        ),
        sa.CheckConstraint("prospect_id IS NOT NULL OR visitor_id IS NOT NULL", name="has_owner"),
        sa.Index("ix_browsing_signal_prospect", "prospect_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("prospect.id", ondelete="CASCADE")
    )
    visitor_id: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    kind: Mapped[str] = mapped_column(sa.String(24))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id", ondelete="SET NULL"))
    # Neighbourhood category or commute destination label, when the event has one.
    topic: Mapped[str | None] = mapped_column(sa.String(40))
    dwell_seconds: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
