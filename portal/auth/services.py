"""Staff account operations shared by the login page and the CLI."""

from functools import cache
from secrets import token_urlsafe

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from portal.extensions import db
from portal.models import STAFF_ROLES, StaffUser

MIN_PASSWORD_LENGTH = 12


def normalise_email(email: str) -> str:
    return email.strip().lower()


def staff_by_email(email: str) -> StaffUser | None:
    return db.session.scalar(sa.select(StaffUser).where(StaffUser.email == normalise_email(email)))


@cache
def _unknown_account_hash() -> str:
    """A hash no password matches, checked for emails without an account."""
    return generate_password_hash(token_urlsafe(32))


def authenticate_staff(email: str, password: str) -> StaffUser | None:
    """The active account with this email and password, or None.

    Every attempt checks one password hash, a dummy one for unknown emails, so how long
    the answer takes does not tell which emails have accounts.
    """
    user = staff_by_email(email)
    stored_hash = user.password_hash if user is not None else _unknown_account_hash()
    matches = check_password_hash(stored_hash, password)
    if user is None or not user.active or not matches:
        return None
    return user


def _check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password must be at least {MIN_PASSWORD_LENGTH} characters")


def create_staff(email: str, name: str, role: str, password: str) -> StaffUser:
    """Add a staff account (flushes, does not commit)."""
    if role not in STAFF_ROLES:
        raise ValueError(f"role must be one of {', '.join(STAFF_ROLES)}")
    _check_password_rules(password)
    user = StaffUser(email=normalise_email(email), name=name, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def change_staff_password(user: StaffUser, password: str) -> None:
    """Set a new password and end every session of the account (flushes).

    :raises ValueError: the password is too short.
    """
    _check_password_rules(password)
    user.set_password(password)
    db.session.flush()


def sign_out_everywhere(user: StaffUser) -> None:
    """End every session of the account, on every device (flushes)."""
    user.end_sessions()
    db.session.flush()
