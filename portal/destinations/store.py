"""Where a person commutes to: in the visitor's session, or on a prospect's record.

The two stores hold the same ``Destination`` fields, so the listing pages and the
fit read destinations the same way whoever is browsing. Session functions take the
session mapping explicitly; prospect functions flush but never commit.
"""

from collections.abc import MutableMapping
from datetime import time

import sqlalchemy as sa

from portal.extensions import db
from portal.geo.commute import Destination
from portal.models import CommuteDestination

SESSION_KEY = "commute_destinations"
MAX_DESTINATIONS = 5


class TooManyDestinations(ValueError):
    pass


def session_destinations(session: MutableMapping) -> list[Destination]:
    stored = session.get(SESSION_KEY) or []
    found = []
    for item in stored:
        try:
            found.append(Destination(**item))
        except TypeError:  # a cookie from an older version: skip rather than fail the page
            continue
    return found


def add_session_destination(session: MutableMapping, destination: Destination) -> None:
    current = list(session.get(SESSION_KEY) or [])
    if len(current) >= MAX_DESTINATIONS:
        raise TooManyDestinations(f"You can keep up to {MAX_DESTINATIONS} places.")
    current.append(_as_dict(destination))
    session[SESSION_KEY] = current


def remove_session_destination(session: MutableMapping, index: int) -> bool:
    current = list(session.get(SESSION_KEY) or [])
    if not 0 <= index < len(current):
        return False
    del current[index]
    session[SESSION_KEY] = current
    return True


def _as_dict(destination: Destination) -> dict:
    return {
        "label": destination.label,
        "address": destination.address,
        "lat": destination.lat,
        "lon": destination.lon,
        "mode": destination.mode,
        "arrive_by": destination.arrive_by,
    }


def prospect_destinations(prospect_id: int) -> list[Destination]:
    rows = db.session.scalars(
        sa.select(CommuteDestination)
        .where(CommuteDestination.prospect_id == prospect_id)
        .order_by(CommuteDestination.id)
    )
    return [
        Destination(
            label=r.label,
            address=r.address,
            lat=r.lat,
            lon=r.lon,
            mode=r.mode,
            arrive_by=r.arrive_by.strftime("%H:%M") if r.arrive_by else None,
            id=r.id,
        )
        for r in rows
    ]


def add_prospect_destination(prospect_id: int, destination: Destination) -> CommuteDestination:
    """Attach a destination to a prospect (flushes); at most five per prospect."""
    count = db.session.scalar(
        sa.select(sa.func.count(CommuteDestination.id)).where(
            CommuteDestination.prospect_id == prospect_id
        )
    )
    if count >= MAX_DESTINATIONS:
        raise TooManyDestinations(f"You can keep up to {MAX_DESTINATIONS} places.")
    row = CommuteDestination(
        prospect_id=prospect_id,
        label=destination.label,
        address=destination.address,
        lat=destination.lat,
        lon=destination.lon,
        mode=destination.mode,
        arrive_by=time.fromisoformat(destination.arrive_by) if destination.arrive_by else None,
    )
    db.session.add(row)
    db.session.flush()
    return row


def move_session_destinations_to_prospect(session: MutableMapping, prospect_id: int) -> int:
    """When a visitor becomes a prospect, keep the places they entered (flushes)."""
    moved = 0
    for destination in session_destinations(session):
        try:
            add_prospect_destination(prospect_id, destination)
        except TooManyDestinations:
            break
        moved += 1
    session.pop(SESSION_KEY, None)
    return moved


def remove_prospect_destination(prospect_id: int, destination_id: int) -> bool:
    """Delete one of the prospect's places (flushes); False when it is not theirs."""
    deleted = db.session.execute(
        sa.delete(CommuteDestination).where(
            CommuteDestination.id == destination_id,
            CommuteDestination.prospect_id == prospect_id,
        )
    )
    return bool(deleted.rowcount)
