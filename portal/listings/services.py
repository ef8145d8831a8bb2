"""Listing search and lookup: the one query behind the page, the API and (later) briefs."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.models import Property, Unit

LISTED_STATUSES = ("available", "reserved")


@dataclass(frozen=True)
class ListingFilters:
    min_bedrooms: int | None = None
    max_rent: int | None = None
    available_by: date | None = None


@dataclass(frozen=True)
class ListingPage:
    items: list[Unit]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def _filtered(filters: ListingFilters) -> sa.Select:
    stmt = sa.select(Unit).where(Unit.status.in_(LISTED_STATUSES))
    if filters.min_bedrooms is not None:
        stmt = stmt.where(Unit.bedrooms >= filters.min_bedrooms)
    if filters.max_rent is not None:
        stmt = stmt.where(Unit.rent_eur <= filters.max_rent)
    if filters.available_by is not None:
        stmt = stmt.where(Unit.available_from <= filters.available_by)
    return stmt


def search_listings(filters: ListingFilters, page: int = 1, per_page: int = 12) -> ListingPage:
    """Listed units matching ``filters``, cheapest first, one page at a time."""
    base = _filtered(filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(base.subquery())) or 0
    stmt = (
        base.options(
            # Cards show the building photo and best internet: load them in one go, not per card.
            joinedload(Unit.property).selectinload(Property.media),
            joinedload(Unit.property).selectinload(Property.internet_services),
        )
        .order_by(Unit.rent_eur, Unit.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    items = list(db.session.scalars(stmt).unique())
    return ListingPage(items=items, total=total, page=page, per_page=per_page)


def get_listing(unit_id: int) -> Unit | None:
    """One listed unit with its property, media and internet service, or None."""
    stmt = (
        sa.select(Unit)
        .where(Unit.id == unit_id, Unit.status.in_(LISTED_STATUSES))
        .options(
            joinedload(Unit.property).selectinload(Property.internet_services),
            joinedload(Unit.property).selectinload(Property.media),
            selectinload(Unit.media),
        )
    )
    return db.session.scalar(stmt)


def count_communities() -> tuple[int, int]:
    """(communities, listed units) for the home page."""
    properties = db.session.scalar(sa.select(sa.func.count(Property.id))) or 0
    units = (
        db.session.scalar(sa.select(sa.func.count(Unit.id)).where(Unit.status.in_(LISTED_STATUSES)))
        or 0
    )
    return properties, units


def all_listings(filters: ListingFilters) -> list[Unit]:
    """Every listed unit matching ``filters`` with what cards show (for re-ranking)."""
    stmt = _filtered(filters).options(
        joinedload(Unit.property).selectinload(Property.media),
        joinedload(Unit.property).selectinload(Property.internet_services),
        selectinload(Unit.media),
    )
    return list(db.session.scalars(stmt.order_by(Unit.rent_eur, Unit.id)).unique())
