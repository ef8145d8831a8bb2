"""Saved listings, for prospects and anonymous visitors alike."""

import sqlalchemy as sa

from portal.extensions import db
from portal.listings.services import DETAIL_LOADING, LISTED_STATUSES
from portal.models import Favourite, Prospect, Unit
from portal.prospects.visitor import owner_clause, owner_values

MAX_FAVOURITES = 200


class FavouriteRefused(ValueError):
    def __init__(self, message: str, *, not_found: bool = False):
        super().__init__(message)
        self.not_found = not_found


def favourite_ids(prospect: Prospect | None = None, visitor_id: str | None = None) -> list[int]:
    """Unit ids saved, most recent first."""
    return list(
        db.session.scalars(
            sa.select(Favourite.unit_id)
            .where(owner_clause(Favourite, prospect, visitor_id))
            .order_by(Favourite.created_at.desc(), Favourite.id.desc())
        )
    )


def add_favourite(
    unit_id: int, *, prospect: Prospect | None = None, visitor_id: str | None = None
) -> bool:
    """Save a listed unit (flushes). False if it was already saved.

    :raises FavouriteRefused: the listing does not exist or is no longer listed,
        or the list is full.
    """
    unit = db.session.get(Unit, unit_id)
    if unit is None or unit.status not in LISTED_STATUSES:
        raise FavouriteRefused(
            "That listing does not exist or is no longer available.", not_found=True
        )
    saved = favourite_ids(prospect, visitor_id)
    if unit_id in saved:
        return False
    if len(saved) >= MAX_FAVOURITES:
        raise FavouriteRefused(f"You can save up to {MAX_FAVOURITES} homes.")
    db.session.add(Favourite(unit_id=unit_id, **owner_values(prospect, visitor_id)))
    db.session.flush()
    return True


def remove_favourite(
    unit_id: int, *, prospect: Prospect | None = None, visitor_id: str | None = None
) -> bool:
    """Unsave (flushes). False if it was not saved."""
    result = db.session.execute(
        sa.delete(Favourite).where(
            owner_clause(Favourite, prospect, visitor_id), Favourite.unit_id == unit_id
        )
    )
    db.session.flush()
    return result.rowcount > 0


def units_by_ids(unit_ids: list[int]) -> list[Unit]:
    """Listed units among ``unit_ids``, in the given order, with what cards show."""
    if not unit_ids:
        return []
    units = db.session.scalars(
        sa.select(Unit)
        .where(Unit.id.in_(unit_ids), Unit.status.in_(LISTED_STATUSES))
        .options(*DETAIL_LOADING)
    ).unique()
    by_id = {u.id: u for u in units}
    return [by_id[i] for i in unit_ids if i in by_id]
