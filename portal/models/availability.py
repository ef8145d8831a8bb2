"""When tours can happen: tour types, opening hours, holidays and agents' working hours.

Every length here is in minutes and a multiple of ``GRID_MINUTES``: tours occupy whole
grid cells, which is what lets the database itself refuse overlapping tours (see
``portal.models.tour.SlotClaim``).
"""

from datetime import date, time
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db

if TYPE_CHECKING:
    from portal.models.property import Property
    from portal.models.staff import StaffUser

GRID_MINUTES = 15
TOUR_KINDS = ("guided", "self_guided", "video")
CONFIRMATION_MODES = ("instant", "staff", "visitor")
OVERRIDE_KINDS = ("off", "extra")


def _on_grid(column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{column} >= 0 AND {column} % {GRID_MINUTES} = 0", name=column)


class TourType(db.Model):
    """One way to see a property, with its own length, spacing and booking policy."""

    __tablename__ = "tour_type"
    __table_args__ = (
        sa.UniqueConstraint("property_id", "kind"),
        sa.CheckConstraint("kind IN ('guided', 'self_guided', 'video')", name="kind_known"),
        sa.CheckConstraint("duration_minutes > 0", name="duration_positive"),
        sa.CheckConstraint("interval_minutes > 0", name="interval_positive"),
        sa.CheckConstraint("capacity >= 1", name="capacity_positive"),
        sa.CheckConstraint("horizon_days >= 1", name="horizon_positive"),
        sa.CheckConstraint(
            "confirmation IN ('instant', 'staff', 'visitor')", name="confirmation_known"
        ),
        sa.CheckConstraint("hold_hours >= 1", name="hold_positive"),
        _on_grid("duration_minutes"),
        _on_grid("interval_minutes"),
        _on_grid("buffer_before_minutes"),
        _on_grid("buffer_after_minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(sa.ForeignKey("property.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    name: Mapped[str] = mapped_column(sa.String(80))
    description: Mapped[str] = mapped_column(sa.String(300), default="")
    duration_minutes: Mapped[int] = mapped_column(default=30)
    interval_minutes: Mapped[int] = mapped_column(default=30)
    buffer_before_minutes: Mapped[int] = mapped_column(default=0)
    buffer_after_minutes: Mapped[int] = mapped_column(default=0)
    min_notice_minutes: Mapped[int] = mapped_column(default=120)
    horizon_days: Mapped[int] = mapped_column(default=21)
    # Self-guided tours only: how many parties may start at the same time.
    capacity: Mapped[int] = mapped_column(default=1)
    # instant: confirmed at once; staff: an agent reviews the request; visitor: the
    # visitor confirms from the link emailed to them (verifies the address, e.g. before
    # a self-guided door code). A request holds its slot until confirmed or expired.
    confirmation: Mapped[str] = mapped_column(sa.String(8), default="instant")
    hold_hours: Mapped[int] = mapped_column(default=24)
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def needs_agent(self) -> bool:
        return self.kind != "self_guided"

    # Declared last: the name `property` would shadow the builtin decorator above it.
    property: Mapped["Property"] = relationship()


class OpeningHours(db.Model):
    """A window when the property shows homes, in its local wall-clock time."""

    __tablename__ = "opening_hours"
    __table_args__ = (
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        sa.CheckConstraint("opens < closes", name="opens_before_closes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(
        sa.ForeignKey("property.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int]  # Monday is 0, as in date.weekday()
    opens: Mapped[time]
    closes: Mapped[time]


class PropertyHoliday(db.Model):
    """A local date on which the property offers no tours at all."""

    __tablename__ = "property_holiday"
    __table_args__ = (sa.UniqueConstraint("property_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(sa.ForeignKey("property.id", ondelete="CASCADE"))
    day: Mapped[date]
    name: Mapped[str] = mapped_column(sa.String(80), default="")


class PropertyAgent(db.Model):
    """An agent who leads tours at a property."""

    __tablename__ = "property_agent"
    __table_args__ = (sa.UniqueConstraint("property_id", "staff_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(sa.ForeignKey("property.id", ondelete="CASCADE"))
    staff_id: Mapped[int] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )

    staff: Mapped["StaffUser"] = relationship()


class AgentHours(db.Model):
    """An agent's weekly working window, in the time zone of the property shown."""

    __tablename__ = "agent_hours"
    __table_args__ = (
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        sa.CheckConstraint("starts < ends", name="starts_before_ends"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int]
    starts: Mapped[time]
    ends: Mapped[time]


class AgentOverride(db.Model):
    """A dated exception: time off (the whole day when no times are given) or extra hours."""

    __tablename__ = "agent_override"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('off', 'extra')", name="kind_known"),
        sa.CheckConstraint(
            "(starts IS NULL AND ends IS NULL AND kind = 'off') OR "
            "(starts IS NOT NULL AND ends IS NOT NULL AND starts < ends)",
            name="window_valid",
        ),
        sa.Index("ix_agent_override_staff_day", "staff_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_user.id", ondelete="CASCADE"))
    day: Mapped[date]
    kind: Mapped[str] = mapped_column(sa.String(8))
    starts: Mapped[time | None]
    ends: Mapped[time | None]
    note: Mapped[str] = mapped_column(sa.String(120), default="")
