"""Staff accounts and the agents' side of tours: where they lead tours and when they work.

Leasing agents, marketers and admins sign in with a password. An agent's weekly hours
and dated overrides are in the time zone of the property shown.
"""

from datetime import date, datetime, time

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from portal.extensions import db
from portal.models.base import UTCDateTime, column_in, utcnow

STAFF_ROLES = ("agent", "marketer", "admin")
OVERRIDE_KINDS = ("off", "extra")


class StaffUser(UserMixin, db.Model):
    __tablename__ = "staff_user"
    __table_args__ = (sa.CheckConstraint(column_in("role", STAFF_ROLES), name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[str] = mapped_column(sa.String(16))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Copied into the session at sign-in and compared on every request
    # (portal/auth/session.py): raising it ends every session of this account at once.
    session_version: Mapped[int] = mapped_column(default=1)

    def set_password(self, password: str) -> None:
        """Store a new password; every session signed in with the old one ends."""
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def end_sessions(self) -> None:
        """Sign this account out everywhere: no copy of an older session cookie works."""
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        # Prefixed so prospect accounts (a later table) can share the login manager.
        return f"staff:{self.id}"

    def has_role(self, *roles: str) -> bool:
        return self.role == "admin" or self.role in roles


class PropertyAgent(db.Model):
    """An agent who leads tours at a property."""

    __tablename__ = "property_agent"
    __table_args__ = (sa.UniqueConstraint("property_id", "staff_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(sa.ForeignKey("property.id", ondelete="CASCADE"))
    staff_id: Mapped[int] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )

    staff: Mapped[StaffUser] = relationship()


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
        sa.CheckConstraint(column_in("kind", OVERRIDE_KINDS), name="kind_known"),
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


class StaffApiToken(db.Model):
    """A bearer token for the staff JSON API, acting as its staff user.

    Only the SHA-256 of the secret is stored; the secret is shown once, when the token
    is made. ``prefix`` (the secret's first characters) tells tokens apart on the
    profile page without revealing them.
    """

    __tablename__ = "staff_api_token"
    __table_args__ = (sa.Index("ix_staff_api_token_staff", "staff_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_user.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(80))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    staff: Mapped[StaffUser] = relationship()

    def usable_at(self, now: datetime) -> bool:
        """Neither revoked nor expired at ``now``."""
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or now < self.expires_at
