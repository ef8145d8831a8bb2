"""Staff account operations shared by the login page and the CLI."""

import sqlalchemy as sa

from portal.extensions import db
from portal.models import STAFF_ROLES, StaffUser


def normalise_email(email: str) -> str:
    return email.strip().lower()


def authenticate_staff(email: str, password: str) -> StaffUser | None:
    user = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == normalise_email(email)))
    if user is None or not user.active or not user.check_password(password):
        return None
    return user


def create_staff(email: str, name: str, role: str, password: str) -> StaffUser:
    """Add a staff account (flushes, does not commit)."""
    if role not in STAFF_ROLES:
        raise ValueError(f"role must be one of {', '.join(STAFF_ROLES)}")
    if len(password) < 12:
        raise ValueError("password must be at least 12 characters")
    user = StaffUser(email=normalise_email(email), name=name, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user
