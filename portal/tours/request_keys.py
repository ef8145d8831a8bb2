"""Idempotency keys for booking requests: scoped, bound to the request, expiring.

A client sends a key with a booking so that a retry (a double click, a timeout) gets
the tour the first request made instead of a second one. The key alone must never
be a way into someone else's tour, so each key is kept within a scope (the page or
the API, and the client's address) together with a hash of the request it came
with: the same key with another request is refused, and after ``KEY_LIFETIME`` the
key is forgotten and books anew. The unique (scope, key) row is what makes two
racing twins end with one tour (the loser's flush fails and it retries).
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from portal.extensions import db
from portal.models import Tour, TourRequestKey

KEY_LIFETIME = timedelta(hours=24)


@dataclass(frozen=True)
class RequestKey:
    """A client's idempotency key for one request, at the time it arrived."""

    key: str
    scope: str
    request_hash: str
    now: datetime

    @classmethod
    def for_booking(
        cls, key: str | None, *, scope: str, request: Mapping, now: datetime
    ) -> "RequestKey | None":
        """The key for ``request`` (what is booked, for whom), or None without a key."""
        if not key:
            return None
        return cls(key=key, scope=scope, request_hash=request_hash(request), now=now)


def request_hash(request: Mapping) -> str:
    """SHA-256 of the request's content, the same however its fields were ordered."""
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def find(request_key: RequestKey) -> TourRequestKey | None:
    """The live stored key in its scope; an expired one is deleted and not found (flushes)."""
    stored = db.session.scalar(
        sa.select(TourRequestKey).where(
            TourRequestKey.scope == request_key.scope, TourRequestKey.key == request_key.key
        )
    )
    if stored is not None and stored.expires_at <= request_key.now:
        db.session.delete(stored)
        db.session.flush()
        return None
    return stored


def remember(request_key: RequestKey, tour: Tour) -> TourRequestKey:
    """Store the key for ``tour`` (flushes; a twin that stored it first makes this fail)."""
    stored = TourRequestKey(
        scope=request_key.scope,
        key=request_key.key,
        request_hash=request_key.request_hash,
        tour_id=tour.id,
        created_at=request_key.now,
        expires_at=request_key.now + KEY_LIFETIME,
    )
    db.session.add(stored)
    db.session.flush()
    return stored


def purge_expired(now: datetime) -> int:
    """Delete expired keys (flushes); returns how many."""
    result = db.session.execute(
        sa.delete(TourRequestKey)
        .where(TourRequestKey.expires_at <= now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def forget_tour(tour: Tour) -> None:
    """Delete the keys of ``tour`` (its erasure: the hash was made from personal data)."""
    db.session.execute(
        sa.delete(TourRequestKey)
        .where(TourRequestKey.tour_id == tour.id)
        .execution_options(synchronize_session=False)
    )
