"""Whose places: the signed-in prospect's (stored) or this visitor's (session).

Request-bound glue for views; the stores in destinations.py take explicit owners.
"""

from flask import session

from portal.commute.destinations import (
    add_prospect_destination,
    add_session_destination,
    prospect_destinations,
    remove_prospect_destination,
    remove_session_destination,
    session_destinations,
)
from portal.geo.commute import Destination


def _prospect():
    # Imported here: the prospects package builds on the listing pages that import us.
    from portal.prospects.current import current_prospect

    return current_prospect()


def current_destinations() -> list[Destination]:
    prospect = _prospect()
    if prospect is not None:
        return prospect_destinations(prospect.id)
    return session_destinations(session)


def add_destination(destination: Destination) -> None:
    """Keep a place for whoever is browsing (flushes for a prospect)."""
    prospect = _prospect()
    if prospect is not None:
        add_prospect_destination(prospect.id, destination)
    else:
        add_session_destination(session, destination)


def remove_destination(index: int) -> bool:
    prospect = _prospect()
    if prospect is not None:
        places = prospect_destinations(prospect.id)
        if not 0 <= index < len(places):
            return False
        return remove_prospect_destination(prospect.id, places[index].id)
    return remove_session_destination(session, index)
