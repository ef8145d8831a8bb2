"""Listing search and lookup: the one query behind the page, the API and (later) briefs."""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.geo.commute import CommuteResult, commute_batch
from portal.geo.settings import GeoSettings
from portal.models import Property, Unit

LISTED_STATUSES = ("available", "reserved")


@dataclass(frozen=True)
class ListingFilters:
    min_bedrooms: int | None = None
    max_rent: int | None = None
    available_by: date | None = None
    # Commute: a resolved destination point, the mode, a limit and the sort order.
    commute_to: tuple[float, float] | None = None
    mode: str = "walk"
    max_minutes: int | None = None
    sort: str = "rent"  # or "commute" (needs commute_to)

    @property
    def uses_commute(self) -> bool:
        return self.commute_to is not None and (self.sort == "commute" or bool(self.max_minutes))


@dataclass(frozen=True)
class ListingPage:
    items: list[Unit]
    total: int
    page: int
    per_page: int
    commutes: dict[int, "CommuteResult"] = field(default_factory=dict)  # by unit id

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


def search_listings(
    filters: ListingFilters,
    page: int = 1,
    per_page: int = 12,
    geo: GeoSettings | None = None,
) -> ListingPage:
    """Listed units matching ``filters``, cheapest first (or quickest commute), one page at a time.

    :param geo: needed when ``filters`` filter or sort by commute.
    """
    if filters.uses_commute:
        return _search_by_commute(filters, page, per_page, geo or GeoSettings())
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


def _search_by_commute(
    filters: ListingFilters, page: int, per_page: int, geo: GeoSettings
) -> ListingPage:
    """Commute times come from the routing engine, so this filters and sorts in Python.

    One light query fetches (unit, rent, coordinates) for every match, one routing
    matrix answers every distinct building, then only the page's units are loaded.
    """
    light = (
        _filtered(filters)
        .join(Unit.property)
        .with_only_columns(Unit.id, Unit.rent_eur, Property.lat, Property.lon)
    )
    rows = db.session.execute(light).all()
    homes = list(dict.fromkeys((r.lat, r.lon) for r in rows))
    results = dict(
        zip(homes, commute_batch(homes, filters.commute_to, filters.mode, geo), strict=True)
    )
    kept = []
    for row in rows:
        result = results[(row.lat, row.lon)]
        if filters.max_minutes and not (result.ok and result.minutes <= filters.max_minutes):
            continue
        kept.append((row, result))
    if filters.sort == "commute":
        never = float("inf")
        kept.sort(key=lambda k: (k[1].minutes if k[1].ok else never, k[0].rent_eur, k[0].id))
    else:
        kept.sort(key=lambda k: (k[0].rent_eur, k[0].id))
    chosen = kept[(page - 1) * per_page : page * per_page]
    ids = [row.id for row, _ in chosen]
    loaded = {
        u.id: u
        for u in db.session.scalars(
            sa.select(Unit)
            .where(Unit.id.in_(ids))
            .options(joinedload(Unit.property), selectinload(Unit.media))
        ).unique()
    }
    return ListingPage(
        items=[loaded[i] for i in ids],
        total=len(kept),
        page=page,
        per_page=per_page,
        commutes={row.id: result for row, result in chosen},
    )


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
