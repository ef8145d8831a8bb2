"""Saved listings, for prospects and anonymous visitors alike.

An anonymous visitor is only a cookie, so their list is capped lower than an account's:
a script cannot fill the table under ever-new visitor ids faster than the per-address
rate limit on the save button allows, nor grow one visitor's list without bound.
"""

import sqlalchemy as sa

from portal.extensions import db
from portal.listings.services import DETAIL_LOADING, LISTED_STATUSES
from portal.models import Favourite, Prospect, Unit
from portal.prospects.visitor import owner_clause, owner_values

MAX_FAVOURITES = 200  # a signed-in prospect's own list
MAX_VISITOR_FAVOURITES = 50  # an anonymous visitor's list, until they sign in


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
    if prospect is None and len(saved) >= MAX_VISITOR_FAVOURITES:
        raise FavouriteRefused(
            f"You can save up to {MAX_VISITOR_FAVOURITES} homes without an account. "
            f"Sign in with your email to save up to {MAX_FAVOURITES}, or remove one first."
        )
    if len(saved) >= MAX_FAVOURITES:
        raise FavouriteRefused(f"You can save up to {MAX_FAVOURITES} homes. Remove one first.")
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
