"""Listing search and lookup: the one search behind the page, the API and briefs.

``find_listings`` is the whole search as pages and the API run it: resolve the
commute address (if any), then filter, rank by commute or rent, and page. The
commute minutes come from ``portal.geo.commute``, the one source of them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.geo.commute import (
    CommuteResult,
    Destination,
    DestinationCommute,
    commute_batch,
    commutes_for_homes,
)
from portal.geo.commute_ranking import Building, minutes_key, rank_buildings
from portal.geo.geocoding import GeocodeOutcome, resolve_address
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


# Cards show the building photo and best internet: load them in one go, not per card.
CARD_LOADING = (
    joinedload(Unit.property).selectinload(Property.media),
    joinedload(Unit.property).selectinload(Property.internet_services),
)
# A listing page, a comparison or a fit re-ranking also shows the unit's own media.
DETAIL_LOADING = (*CARD_LOADING, selectinload(Unit.media))


def find_listings(
    filters: ListingFilters,
    commute_to: str,
    page: int,
    per_page: int,
    geo: GeoSettings,
    place: Destination | None = None,
    place_mode: bool = False,
    search: Callable[..., ListingPage] | None = None,
) -> tuple[ListingPage | None, GeocodeOutcome | None]:
    """Resolve ``commute_to`` (an address, may be empty), then search.

    :param place: a saved place to commute to when no address is given (a commute
        sort or limit then ranks by the minutes to it).
    :param place_mode: travel by the place's own mode (the visitor chose none).
    :param search: ``search_listings`` or one with its signature (the page's, answering
        with cards it keeps).
    :returns: the page and the geocoding outcome; ``(None, outcome)`` when the
        address does not resolve (the outcome says why, with candidates).
    """
    outcome = None
    if commute_to:
        outcome = resolve_address(commute_to, geo)
        if not outcome.found:
            return None, outcome
        filters = replace(filters, commute_to=outcome.point)
    elif place is not None and (filters.sort == "commute" or filters.max_minutes):
        mode = place.mode if place_mode else filters.mode
        filters = replace(filters, commute_to=place.point, mode=mode)
    return (search or search_listings)(filters, page, per_page, geo), outcome


def commutes_to_places(
    units: list[Unit], places: list[Destination], geo: GeoSettings
) -> dict[int, list[DestinationCommute]]:
    """Minutes from each unit's building to each of someone's places, by every mode."""
    return commutes_from_homes({u.id: (u.property.lat, u.property.lon) for u in units}, places, geo)


def commutes_from_homes(
    homes: dict[int, tuple[float, float]], places: list[Destination], geo: GeoSettings
) -> dict[int, list[DestinationCommute]]:
    """The same by unit id from each unit's (lat, lon): for cards, which hold no rows."""
    if not places or not homes:
        return {}
    table = commutes_for_homes(list(homes.values()), places, geo)
    return {unit_id: table[home] for unit_id, home in homes.items()}


def search_listings(
    filters: ListingFilters,
    page: int = 1,
    per_page: int = 12,
    geo: GeoSettings | None = None,
    load: Callable[[list[int]], list] | None = None,
) -> ListingPage:
    """Listed units matching ``filters``, cheapest first (or quickest commute), one page at a time.

    :param geo: needed when ``filters`` filter or sort by commute.
    :param load: what the page holds for the found unit ids, in their order (default:
        the units with what cards show).
    """
    if filters.uses_commute:
        return _search_by_commute(filters, page, per_page, geo or GeoSettings(), load or load_units)
    base = _filtered(filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(base.subquery())) or 0
    ordered = base.order_by(Unit.rent_eur, Unit.id).limit(per_page).offset((page - 1) * per_page)
    if load is None:  # the units, in one query with what cards show
        units = list(db.session.scalars(ordered.options(*CARD_LOADING)).unique())
        homes = {u.id: (u.property.lat, u.property.lon) for u in units}
    else:  # only the ids and where they are: ``load`` makes the rest
        located = ordered.with_only_columns(Unit.id, Property.lat, Property.lon).join(
            Property, Property.id == Unit.property_id
        )
        homes = {r.id: (r.lat, r.lon) for r in db.session.execute(located)}
    commutes = {}
    if filters.commute_to is not None and homes:
        # A destination without a commute filter or sort still shows its minutes.
        found = commute_batch(
            list(homes.values()), filters.commute_to, filters.mode, geo or GeoSettings()
        )
        commutes = dict(zip(homes, found, strict=True))
    items = units if load is None else load(list(homes))
    return ListingPage(items=items, total=total, page=page, per_page=per_page, commutes=commutes)


def load_units(unit_ids: list[int]) -> list[Unit]:
    """These units in this order, with what cards show (one query and two for the lists)."""
    if not unit_ids:
        return []
    stmt = sa.select(Unit).where(Unit.id.in_(unit_ids)).options(*CARD_LOADING)
    loaded = {u.id: u for u in db.session.scalars(stmt).unique()}
    return [loaded[i] for i in unit_ids]


# A commute search ranks the buildings of the next pages too: one routing call of a few
# more buildings costs little (the engine's cost is mostly per call), and "next page"
# then needs no routing at all.
LOOKAHEAD_PAGES = 1


def _search_by_commute(
    filters: ListingFilters, page: int, per_page: int, geo: GeoSettings, load: Callable
) -> ListingPage:
    """Commute times come from the routing engine, so buildings are ranked in Python.

    One grouped query counts matching listings per building; the routing engine
    answers only the buildings that can matter (see commute_ranking); then only the
    listings of those buildings are ordered and the page's units loaded.
    """
    # Count per building on the unit rows alone (the search index answers it), then
    # join the few hundred groups to their coordinates: grouping the joined rows by
    # the property's columns costs about half again as much.
    counts = (
        _filtered(filters)
        .with_only_columns(Unit.property_id, sa.func.count().label("listings"))
        .group_by(Unit.property_id)
        .subquery()
    )
    per_building = sa.select(Property.id, Property.lat, Property.lon, counts.c.listings).join(
        counts, counts.c.property_id == Property.id
    )
    buildings = [
        Building(pid, (lat, lon), count)
        for pid, lat, lon, count in db.session.execute(per_building)
    ]
    ranking = rank_buildings(
        buildings,
        filters.commute_to,
        filters.mode,
        sort=filters.sort,
        max_minutes=filters.max_minutes,
        wanted=(page + LOOKAHEAD_PAGES) * per_page,
        settings=geo,
    )
    commute_of = {b.property_id: result for b, result in ranking.buildings}
    candidates = _filtered(filters).where(Unit.property_id.in_(list(commute_of)))
    offset = (page - 1) * per_page
    if filters.sort == "commute":
        rows = db.session.execute(
            candidates.with_only_columns(Unit.id, Unit.rent_eur, Unit.property_id)
        ).all()
        rows.sort(key=lambda r: (minutes_key(commute_of[r.property_id]), r.rent_eur, r.id))
        chosen = [(r.id, r.property_id) for r in rows[offset : offset + per_page]]
    else:
        page_rows = candidates.with_only_columns(Unit.id, Unit.property_id).order_by(
            Unit.rent_eur, Unit.id
        )
        chosen = [tuple(r) for r in db.session.execute(page_rows.limit(per_page).offset(offset))]
    return ListingPage(
        items=load([unit_id for unit_id, _ in chosen]),
        total=ranking.total,
        page=page,
        per_page=per_page,
        commutes={unit_id: commute_of[pid] for unit_id, pid in chosen},
    )


def get_listing(unit_id: int) -> Unit | None:
    """One listed unit with its property, media and internet service, or None."""
    stmt = (
        sa.select(Unit)
        .where(Unit.id == unit_id, Unit.status.in_(LISTED_STATUSES))
        .options(*DETAIL_LOADING)
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
    stmt = _filtered(filters).options(*DETAIL_LOADING)
    return list(db.session.scalars(stmt.order_by(Unit.rent_eur, Unit.id)).unique())


def units_by_status() -> dict[Property, dict[str, int]]:
    """Every community (by name) with how many of its units are in each status."""
    rows = db.session.execute(
        sa.select(Property, Unit.status, sa.func.count(Unit.id))
        .join(Unit, Unit.property_id == Property.id)
        .group_by(Property.id, Unit.status)
        .order_by(Property.name)
    ).all()
    summary: dict[Property, dict[str, int]] = {}
    for prop, status, count in rows:
        summary.setdefault(prop, {})[status] = count
    return summary
