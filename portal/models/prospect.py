"""The prospect aggregate: a prospective renter and everything recorded about them.

A ``Prospect`` is one record shared by sales and marketing. Prospects sign in with
emailed magic links (no password), so the row doubles as a Flask-Login user.
Erasing a prospect ("delete my data") blanks every personal field but keeps the
row, so anonymised counts (stage, source, signals) survive for marketing
statistics and foreign keys from tours stay valid.

Priority versions, favourites and browsing signals belong to a prospect or, before
sign-in, to an anonymous visitor id; signing in (or booking with the same email)
moves the visitor's rows over (``portal.prospects.visitor``).
"""

import secrets
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, synonym

from portal.extensions import db
from portal.geo.modes import COMMUTE_MODES
from portal.models.base import UTCDateTime, column_in, utcnow

# The one lead lifecycle shared by marketing and sales, in funnel order. "visitor"
# is an anonymous session (no row); "lost" leaves the funnel from any stage.
LIFECYCLE_STAGES = ("visitor", "prospect", "lead", "toured", "applied", "leased", "lost")
CONTACT_CHANNELS = ("email", "sms", "phone", "none")
CONTACT_PACES = ("any", "weekly", "on_request")
PRIORITY_SOURCES = ("prospect", "agent", "inferred")
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
_HAS_OWNER = "prospect_id IS NOT NULL OR visitor_id IS NOT NULL"


def new_unsubscribe_key() -> str:
    return secrets.token_urlsafe(24)


class Prospect(db.Model):
    __tablename__ = "prospect"
    __table_args__ = (
        sa.CheckConstraint(column_in("stage", LIFECYCLE_STAGES), name="stage_known"),
        # The staff prospects list: filtered by stage or agent, newest first (keyset).
        sa.Index("ix_prospect_stage_id", "stage", "id"),
        sa.Index("ix_prospect_assigned_agent_id", "assigned_agent_id", "id"),
        sa.Index("ix_prospect_last_contact", "last_contact_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None only once erased: the address is personal data.
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    stage: Mapped[str] = mapped_column(sa.String(16), default="prospect")
    stage_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lost_reason: Mapped[str | None] = mapped_column(sa.String(200))
    # {"utm_source": ..., "utm_medium": ..., "utm_campaign": ..., "referrer": ..., "at": iso}
    first_touch: Mapped[dict | None] = mapped_column(sa.JSON)
    last_touch: Mapped[dict | None] = mapped_column(sa.JSON)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The agent who looks after this prospect (staff prospects page); they see the
    # prospect even without a tour at one of their properties.
    assigned_agent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    # When staff and the prospect were last in touch: a tour recorded or a note
    # (portal.prospects.notes.note_contact); what the prospects list filters on.
    last_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The opaque key of the prospect's one-click unsubscribe link (List-Unsubscribe): random,
    # so the link reveals nothing about the account, and permanent, so old mail still works.
    unsubscribe_key: Mapped[str] = mapped_column(
        sa.String(43), unique=True, default=new_unsubscribe_key
    )

    # Flask-Login: prospects share the login manager with staff, told apart by prefix.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.erased_at is None

    def get_id(self) -> str:
        return f"prospect:{self.id}"

    def has_role(self, *roles: str) -> bool:
        # Prospects hold no staff role; `roles_required` keeps them out of staff routes.
        return "prospect" in roles

    @property
    def role(self) -> str:
        return "prospect"

    @property
    def display_name(self) -> str:
        return self.name or (self.email or "").split("@")[0]

    def __repr__(self) -> str:
        return f"<Prospect {self.id}>"


class ContactPreference(db.Model):
    """How, how often and when a prospect agrees to hear from us."""

    __tablename__ = "contact_preference"
    __table_args__ = (
        sa.CheckConstraint(column_in("channel", CONTACT_CHANNELS), name="channel_known"),
        sa.CheckConstraint(column_in("pace", CONTACT_PACES), name="pace_known"),
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
    # When they agreed to hear about homes they saved without booking a tour (follow-ups
    # on favourites go only to prospects who did).
    marketing_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class MagicLink(db.Model):
    """An emailed sign-in link: the signed token carries a nonce that can be used once."""

    __tablename__ = "magic_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    nonce: Mapped[str] = mapped_column(sa.String(64), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PriorityVersion(db.Model):
    """What matters to a prospect: every change is a new, immutable version.

    The answers are one JSON document validated by ``portal.prospects.priorities``.
    """

    __tablename__ = "priority_version"
    __table_args__ = (
        sa.CheckConstraint(column_in("source", PRIORITY_SOURCES), name="source_known"),
        sa.CheckConstraint(_HAS_OWNER, name="has_owner"),
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


class Favourite(db.Model):
    """A listing a prospect (or an anonymous visitor) saved."""

    __tablename__ = "favourite"
    __table_args__ = (
        sa.UniqueConstraint("prospect_id", "unit_id", name="uq_favourite_prospect_unit"),
        sa.UniqueConstraint("visitor_id", "unit_id", name="uq_favourite_visitor_unit"),
        sa.CheckConstraint(_HAS_OWNER, name="has_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("prospect.id", ondelete="CASCADE")
    )
    visitor_id: Mapped[str | None] = mapped_column(sa.String(32))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BrowsingSignal(db.Model):
    """A small event recorded (with consent) to infer interests."""

    __tablename__ = "browsing_signal"
    __table_args__ = (
        sa.CheckConstraint(column_in("kind", SIGNAL_KINDS), name="kind_known"),
        sa.CheckConstraint(_HAS_OWNER, name="has_owner"),
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


class CommuteDestination(db.Model):
    """A place a prospect travels to; visitors keep the same fields in their session."""

    __tablename__ = "commute_destination"
    __table_args__ = (
        sa.CheckConstraint(column_in("mode", COMMUTE_MODES), name="mode_known"),
        sa.CheckConstraint("lat BETWEEN -90 AND 90", name="lat_range"),
        sa.CheckConstraint("lon BETWEEN -180 AND 180", name="lon_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int] = mapped_column(
        sa.ForeignKey("prospect.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(sa.String(60))
    address: Mapped[str] = mapped_column(sa.String(200))
    lat: Mapped[float]
    lon: Mapped[float]
    mode: Mapped[str] = mapped_column(sa.String(10))
    arrive_by: Mapped[time | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StageChange(db.Model):
    """One move of a prospect's lead stage, kept for the prospect's timeline."""

    __tablename__ = "prospect_stage_change"
    __table_args__ = (
        sa.Index("ix_prospect_stage_change_prospect", "prospect_id", "changed_at"),
        # The funnel insights: when a prospect first reached a stage (applied, leased).
        sa.Index("ix_prospect_stage_change_reached", "prospect_id", "to_stage", "changed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int] = mapped_column(sa.ForeignKey("prospect.id", ondelete="CASCADE"))
    from_stage: Mapped[str | None] = mapped_column(sa.String(16))
    to_stage: Mapped[str] = mapped_column(sa.String(16))
    reason: Mapped[str | None] = mapped_column(sa.String(200))
    # "system" (a booking, a tour), "prospect" or "staff:<id>".
    actor: Mapped[str] = mapped_column(sa.String(40), default="system")
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The insights' name for the moment (``portal.studio``): one column, two names.
    at: Mapped[datetime] = synonym("changed_at")


class ProspectNote(db.Model):
    """A staff member's note on a prospect (staff prospect page)."""

    __tablename__ = "prospect_note"
    __table_args__ = (sa.Index("ix_prospect_note_prospect", "prospect_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int] = mapped_column(sa.ForeignKey("prospect.id", ondelete="CASCADE"))
    staff_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(sa.String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
