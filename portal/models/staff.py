"""Staff accounts: leasing agents, marketers and admins sign in with a password."""

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow

STAFF_ROLES = ("agent", "marketer", "admin")


class StaffUser(UserMixin, db.Model):
    __tablename__ = "staff_user"
    __table_args__ = (
        sa.CheckConstraint("role IN ('agent', 'marketer', 'admin')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[str] = mapped_column(sa.String(16))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

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
