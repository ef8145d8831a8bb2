"""Staff API tokens: made, looked up, marked as used and revoked (flush, never commit).

A token is ``dst_`` followed by 43 URL-safe characters (32 random bytes). Only its
SHA-256 is stored, so a database dump holds nothing a caller could send; the secret
is returned once by ``issue_token`` and never again.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from portal.extensions import db
from portal.forms import FieldErrors
from portal.models import StaffApiToken, StaffUser

TOKEN_PREFIX = "dst_"  # noqa: S105 (a marker, not a secret)
# Characters of the secret shown on the profile page: enough to tell tokens apart.
SHOWN_CHARACTERS = 8
MAX_EXPIRES_DAYS = 3650
# Rewriting last_used_at on every call would turn every API read into a write.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: StaffApiToken
    secret: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(
    staff: StaffUser, name: str, *, now: datetime, expires_days: int | None = None
) -> IssuedToken:
    """A new token for ``staff``, named ``name``; the secret is in the result only.

    :param expires_days: the token stops working this many days after ``now``; None
        for a token that works until it is revoked.
    """
    name = (name or "").strip()
    if not name:
        raise FieldErrors({"name": "give the token a name, such as the script that uses it"})
    if len(name) > 80:
        raise FieldErrors({"name": "at most 80 characters"})
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRES_DAYS:
        raise FieldErrors({"expires_days": f"between 1 and {MAX_EXPIRES_DAYS} days"})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = StaffApiToken(
        staff_id=staff.id,
        name=name,
        token_hash=hash_secret(secret),
        prefix=secret[: len(TOKEN_PREFIX) + SHOWN_CHARACTERS],
        created_at=now,
        expires_at=now + timedelta(days=expires_days) if expires_days else None,
    )
    db.session.add(token)
    db.session.flush()
    return IssuedToken(token, secret)


def token_for_secret(secret: str) -> StaffApiToken | None:
    """The stored token whose secret this is, whatever its state; None for a stranger."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    return db.session.scalar(
        sa.select(StaffApiToken).where(StaffApiToken.token_hash == hash_secret(secret))
    )


def note_use(token: StaffApiToken, now: datetime) -> None:
    """Record that ``token`` was used at ``now`` (at most once a minute)."""
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        token.last_used_at = now
        db.session.flush()


def tokens_of(staff: StaffUser) -> list[StaffApiToken]:
    """Every token of ``staff``, newest first, revoked ones included."""
    return list(
        db.session.scalars(
            sa.select(StaffApiToken)
            .where(StaffApiToken.staff_id == staff.id)
            .order_by(StaffApiToken.created_at.desc(), StaffApiToken.id.desc())
        )
    )


def revoke_token(staff: StaffUser, token_id: int, now: datetime) -> StaffApiToken | None:
    """Revoke ``staff``'s own token ``token_id``; None when it is not theirs."""
    token = db.session.get(StaffApiToken, token_id)
    if token is None or token.staff_id != staff.id:
        return None
    if token.revoked_at is None:
        token.revoked_at = now
        db.session.flush()
    return token
