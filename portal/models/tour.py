"""Booked tours, their history, reminders, and the rows that make double-booking impossible.

Two database guarantees back every path that makes a tour active (book, reschedule,
confirm, reassign):

* ``SlotClaim``: an agent-led tour claims every grid cell it occupies, buffers
  included, and ``(agent_id, cell_start)`` is unique, so two overlapping tours of
  one agent cannot both commit, on SQLite or PostgreSQL.
* ``SlotCapacity``: a self-guided slot is a counter row that only a conditional
  ``UPDATE ... WHERE booked < capacity`` may increase, with a CHECK as a backstop.
"""

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.availability import TourType
    from portal.models.property import Property
    from portal.models.prospect import Prospect
    from portal.models.staff import StaffUser
    from portal.models.unit import Unit

TOUR_STATUSES = (
    "requested",
    "confirmed",
    "rescheduled",
    "cancelled_by_prospect",
    "cancelled_by_staff",
    "expired",
    "completed",
    "no_show",
)
ACTIVE_STATUSES = ("requested", "confirmed", "rescheduled")
TOUR_CONTACT_CHANNELS = ("email", "phone", "sms")
REMINDER_STATUSES = ("pending", "sent", "skipped", "cancelled")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Tour(db.Model):
    __tablename__ = "tour"
    __table_args__ = (
        sa.CheckConstraint(_in("status", TOUR_STATUSES), name="status_known"),
        sa.CheckConstraint(_in("contact_channel", TOUR_CONTACT_CHANNELS), name="channel_known"),
        sa.CheckConstraint("starts_at < ends_at", name="starts_before_ends"),
        sa.Index("ix_tour_agent_starts", "agent_id", "starts_at"),
        sa.Index("ix_tour_status_expires", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # 128-bit secret for the manage link; never a numeric id in a link.
    token: Mapped[str] = mapped_column(sa.String(32), unique=True)
    # Stable calendar UID (not the token: invitations get forwarded).
    uid: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # A client-chosen key: a double submit or a retried request finds this tour again.
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    property_id: Mapped[int] = mapped_column(sa.ForeignKey("property.id"), index=True)
    tour_type_id: Mapped[int] = mapped_column(sa.ForeignKey("tour_type.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id", ondelete="SET NULL"))
    agent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))
    prospect_id: Mapped[int] = mapped_column(sa.ForeignKey("prospect.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(sa.String(24))
    # Bumped on every change the attendee's calendar must pick up (RFC 5545 SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str] = mapped_column(sa.String(254))
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    contact_channel: Mapped[str] = mapped_column(sa.String(8), default="email")
    # "What matters to you": priority keys and free text, fed to prospect priorities later.
    priorities: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    priorities_note: Mapped[str] = mapped_column(sa.String(500), default="")
    video_room_url: Mapped[str | None] = mapped_column(sa.String(300))
    access_code: Mapped[str | None] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    tour_type: Mapped["TourType"] = relationship()
    unit: Mapped["Unit | None"] = relationship()
    agent: Mapped["StaffUser | None"] = relationship()
    prospect: Mapped["Prospect"] = relationship()
    history: Mapped[list["TourStatusChange"]] = relationship(
        back_populates="tour", order_by="TourStatusChange.id", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    # Declared after the methods: the name `property` would shadow the builtin decorator.
    property: Mapped["Property"] = relationship()

    def __repr__(self) -> str:
        return f"<Tour {self.id} {self.status} {self.starts_at:%Y-%m-%d %H:%M}Z>"


class TourStatusChange(db.Model):
    """One step in a tour's life, kept forever."""

    __tablename__ = "tour_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(sa.ForeignKey("tour.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(sa.String(24))
    to_status: Mapped[str] = mapped_column(sa.String(24))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(sa.String(40))  # prospect, system, staff:<id>
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    tour: Mapped[Tour] = relationship(back_populates="history")


class SlotClaim(db.Model):
    """One grid cell of an agent's time taken by one active tour."""

    __tablename__ = "slot_claim"
    __table_args__ = (sa.UniqueConstraint("agent_id", "cell_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_user.id"))
    cell_start: Mapped[datetime] = mapped_column(UTCDateTime)
    tour_id: Mapped[int] = mapped_column(sa.ForeignKey("tour.id", ondelete="CASCADE"), index=True)


class SlotCapacity(db.Model):
    """How many self-guided parties start at one slot, never above its capacity."""

    __tablename__ = "slot_capacity"
    __table_args__ = (
        sa.UniqueConstraint("tour_type_id", "slot_start"),
        sa.CheckConstraint("booked >= 0 AND booked <= capacity", name="within_capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_type_id: Mapped[int] = mapped_column(sa.ForeignKey("tour_type.id", ondelete="CASCADE"))
    slot_start: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int]
    booked: Mapped[int] = mapped_column(default=0)


class TourReminder(db.Model):
    """A reminder to send before a tour; one row per (tour, kind), claimed atomically."""

    __tablename__ = "tour_reminder"
    __table_args__ = (
        sa.UniqueConstraint("tour_id", "kind"),
        sa.CheckConstraint(_in("status", REMINDER_STATUSES), name="status_known"),
        sa.Index("ix_tour_reminder_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(sa.ForeignKey("tour.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(16))  # minutes before the start, e.g. "1440m"
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    # The tour's sequence the reminder was planned for: a reschedule supersedes it.
    sequence: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    tour: Mapped[Tour] = relationship()
