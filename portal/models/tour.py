"""Tours: the tour types a property offers, when it opens, booked tours and their history.

Every length here is in minutes and a multiple of ``GRID_MINUTES``: tours occupy whole
grid cells. Two database guarantees back every path that makes a tour active (book,
reschedule, confirm, reassign):

* ``SlotClaim``: an agent-led tour claims every grid cell it occupies, buffers
  included, and ``(agent_id, cell_start)`` is unique, so two overlapping tours of
  one agent cannot both commit, on SQLite or PostgreSQL.
* ``SlotCapacity``: a self-guided slot is a counter row that only a conditional
  ``UPDATE ... WHERE booked < capacity`` may increase, with a CHECK as a backstop.
"""

from datetime import date, datetime, time
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from portal.extensions import db
from portal.models.base import UTCDateTime, column_in, utcnow

if TYPE_CHECKING:
    from portal.models.property import Property
    from portal.models.prospect import Prospect
    from portal.models.staff import StaffUser
    from portal.models.unit import Unit

GRID_MINUTES = 15
TOUR_KINDS = ("guided", "self_guided", "video")
CONFIRMATION_MODES = ("instant", "staff", "visitor")
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


def _on_grid(column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{column} >= 0 AND {column} % {GRID_MINUTES} = 0", name=column)


class TourType(db.Model):
    """One way to see a property, with its own length, spacing and booking policy."""

    __tablename__ = "tour_type"
    __table_args__ = (
        sa.UniqueConstraint("property_id", "kind"),
        sa.CheckConstraint(column_in("kind", TOUR_KINDS), name="kind_known"),
        sa.CheckConstraint("duration_minutes > 0", name="duration_positive"),
        sa.CheckConstraint("interval_minutes > 0", name="interval_positive"),
        sa.CheckConstraint("capacity >= 1", name="capacity_positive"),
        sa.CheckConstraint("horizon_days >= 1", name="horizon_positive"),
        sa.CheckConstraint(
            column_in("confirmation", CONFIRMATION_MODES), name="confirmation_known"
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


class Tour(db.Model):
    __tablename__ = "tour"
    __table_args__ = (
        sa.CheckConstraint(column_in("status", TOUR_STATUSES), name="status_known"),
        sa.CheckConstraint(
            column_in("contact_channel", TOUR_CONTACT_CHANNELS), name="channel_known"
        ),
        sa.CheckConstraint("starts_at < ends_at", name="starts_before_ends"),
        sa.Index("ix_tour_agent_starts", "agent_id", "starts_at"),
        sa.Index("ix_tour_status_expires", "status", "expires_at"),
        sa.Index("ix_tour_property_starts", "property_id", "starts_at"),
        # Staff visibility and the prospects list: a property's prospects, index-only.
        sa.Index("ix_tour_property_prospect", "property_id", "prospect_id"),
        # The funnel insights: a prospect's first booking per property, tours by period.
        sa.Index("ix_tour_held", "prospect_id", "property_id", "status", "starts_at"),
        sa.Index("ix_tour_created_at", "created_at"),
        sa.Index("ix_tour_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # 128-bit secret for the manage link; never a numeric id in a link.
    token: Mapped[str] = mapped_column(sa.String(32), unique=True)
    # Stable calendar UID (not the token: invitations get forwarded).
    uid: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The client-chosen key the tour was booked with, kept for the record; the lookup
    # (scoped, with the request's hash and an expiry) is ``TourRequestKey``.
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(64))
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
    # Optimistic lock for staff edits (capture, check-in): SQLAlchemy bumps it on every
    # UPDATE and refuses a stale one, so an edit of a tour cancelled or changed
    # meanwhile is a conflict, never an overwrite.
    version: Mapped[int] = mapped_column(default=1)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    name: Mapped[str] = mapped_column(sa.String(120))
    # As typed, for display and for the mail; ``email_normalised`` is what identifies the
    # person (limits, caps, export and erasure), kept in step by ``_normalise_email``.
    email: Mapped[str] = mapped_column(sa.String(254))
    email_normalised: Mapped[str] = mapped_column(sa.String(254), index=True)
    # When the booker showed the address is theirs (booked signed in as its prospect, or
    # confirmed from the emailed link). Until then the tour's channel and answers stay
    # on the tour and do not become the prospect's preferences or priorities.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    contact_channel: Mapped[str] = mapped_column(sa.String(8), default="email")
    # "What matters to you": priority keys and free text, fed to prospect priorities later.
    priorities: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    priorities_note: Mapped[str] = mapped_column(sa.String(500), default="")
    video_room_url: Mapped[str | None] = mapped_column(sa.String(300))
    access_code: Mapped[str | None] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    tour_type: Mapped[TourType] = relationship()
    unit: Mapped["Unit | None"] = relationship()
    agent: Mapped["StaffUser | None"] = relationship()
    prospect: Mapped["Prospect"] = relationship()
    history: Mapped[list["TourStatusChange"]] = relationship(
        back_populates="tour", order_by="TourStatusChange.id", cascade="all, delete-orphan"
    )

    @validates("email")
    def _normalise_email(self, _key: str, email: str) -> str:
        # The same rule as portal.auth.services.normalise_email (the prospect's key).
        self.email_normalised = (email or "").strip().lower()
        return email

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def awaits_visitor(self) -> bool:
        """A request the visitor confirms from the emailed link (which confirms the address).

        Visitor-confirmed tour types always ask; an instant type asks when the booker's
        address was not confirmed and the property wants the link (or a cap was reached).
        """
        if self.status != "requested":
            return False
        mode = self.tour_type.confirmation
        return mode == "visitor" or (mode == "instant" and self.email_confirmed_at is None)

    # Declared after the methods: the name `property` would shadow the builtin decorator.
    property: Mapped["Property"] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Tour {self.id} {self.status} {self.starts_at:%Y-%m-%d %H:%M}Z>"


class TourRequestKey(db.Model):
    """An idempotency key: a retried booking request finds the tour it made.

    Scoped (the page or the API, and the client's address) and bound to a hash of the
    request, so a key reused for another request is refused instead of handing out
    someone else's tour; it expires, and an expired key books anew.
    """

    __tablename__ = "tour_request_key"
    __table_args__ = (sa.UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(sa.String(80))
    key: Mapped[str] = mapped_column(sa.String(64))
    request_hash: Mapped[str] = mapped_column(sa.String(64))
    tour_id: Mapped[int] = mapped_column(sa.ForeignKey("tour.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    tour: Mapped[Tour] = relationship()


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
        sa.CheckConstraint(column_in("status", REMINDER_STATUSES), name="status_known"),
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
