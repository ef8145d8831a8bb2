"""What the agent records about a tour: check-in, no-show and the completion form.

One shared objection taxonomy serves the capture form, the staff API, the follow-ups
(which answer objections) and the funnel insights (objections among leased vs lost).
"""

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, column_in, utcnow

if TYPE_CHECKING:
    from portal.models.tour import Tour

OBJECTIONS = (
    "price",
    "size",
    "layout",
    "light_view",
    "noise",
    "commute",
    "parking",
    "pets",
    "move_in_date",
    "internet",
    "amenities",
    "other",
)
OBJECTION_LABELS = {
    "price": "Price",
    "size": "Size",
    "layout": "Layout",
    "light_view": "Light / view",
    "noise": "Noise",
    "commute": "Commute",
    "parking": "Parking",
    "pets": "Pets",
    "move_in_date": "Move-in date",
    "internet": "Internet",
    "amenities": "Amenities",
    "other": "Other",
}
# What happens next, as the agent agreed it with the prospect on the tour.
NEXT_STEPS = ("apply", "second_visit", "decide_by", "lost")
INTEREST_LEVELS = (1, 2, 3, 4, 5)


class TourCapture(db.Model):
    """The completion form of one tour; a tour has at most one (edited in place)."""

    __tablename__ = "tour_capture"
    __table_args__ = (
        sa.CheckConstraint("interest_level BETWEEN 1 AND 5", name="interest_range"),
        sa.CheckConstraint(column_in("next_step", NEXT_STEPS), name="next_step_known"),
        sa.CheckConstraint(
            "next_step <> 'lost' OR lost_reason IS NOT NULL", name="lost_has_reason"
        ),
        sa.CheckConstraint(
            "next_step <> 'decide_by' OR decide_by IS NOT NULL", name="decide_by_has_date"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(sa.ForeignKey("tour.id", ondelete="CASCADE"), unique=True)
    staff_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    # Unit ids shown on the tour; each belongs to the tour's community (checked on save).
    units_shown: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    interest_level: Mapped[int]
    liked: Mapped[str] = mapped_column(sa.String(1000), default="")
    # Keys of OBJECTIONS; "other" comes with objection_note.
    objections: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    objection_note: Mapped[str] = mapped_column(sa.String(500), default="")
    next_step: Mapped[str] = mapped_column(sa.String(16))
    decide_by: Mapped[date | None]
    lost_reason: Mapped[str | None] = mapped_column(sa.String(200))
    notes: Mapped[str] = mapped_column(sa.String(2000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    tour: Mapped["Tour"] = relationship()
