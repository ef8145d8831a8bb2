"""Recording browsing signals cheaply: one small row per event, no payload blobs."""

from datetime import datetime

import sqlalchemy as sa

from portal.extensions import db
from portal.models import SIGNAL_KINDS, BrowsingSignal, Prospect, Unit
from portal.models.base import utcnow
from portal.prospects.visitor import owner_clause, owner_values

MAX_DWELL_SECONDS = 6 * 60 * 60  # a tab left open overnight is not six hours of interest
TOPIC_MAX = 40


class InvalidSignal(ValueError):
    pass


def record_signal(
    kind: str,
    *,
    prospect: Prospect | None = None,
    visitor_id: str | None = None,
    unit_id: int | None = None,
    topic: str | None = None,
    dwell_seconds: int | None = None,
    now: datetime | None = None,
) -> BrowsingSignal:
    """Store one event (flushes, does not commit). The caller checks consent.

    :param topic: the neighbourhood category expanded or the commute destination checked.
    :raises InvalidSignal: unknown kind, unknown listing or out-of-range values.
    """
    if kind not in SIGNAL_KINDS:
        raise InvalidSignal(f"kind must be one of {', '.join(SIGNAL_KINDS)}")
    if prospect is None and not visitor_id:
        raise InvalidSignal("a signal belongs to a prospect or a visitor")
    if unit_id is not None and db.session.get(Unit, unit_id) is None:
        raise InvalidSignal("no such listing")
    if topic is not None:
        topic = topic.strip()[:TOPIC_MAX] or None
    if kind in ("category_expanded", "commute_checked") and topic is None:
        raise InvalidSignal(f"{kind} needs a topic")
    if dwell_seconds is not None and dwell_seconds < 0:
        raise InvalidSignal("dwell time cannot be negative")
    signal = BrowsingSignal(
        kind=kind,
        **owner_values(prospect, visitor_id),
        unit_id=unit_id,
        topic=topic,
        dwell_seconds=min(dwell_seconds, MAX_DWELL_SECONDS) if dwell_seconds is not None else None,
        created_at=now or utcnow(),
    )
    db.session.add(signal)
    db.session.flush()
    return signal


def signals_of(prospect: Prospect | None = None, visitor_id: str | None = None):
    """Every signal of one prospect or visitor, oldest first."""
    return list(
        db.session.scalars(
            sa.select(BrowsingSignal)
            .where(owner_clause(BrowsingSignal, prospect, visitor_id))
            .order_by(BrowsingSignal.created_at, BrowsingSignal.id)
        )
    )
