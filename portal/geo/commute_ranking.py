"""Rank buildings by commute without routing to every one of them.

Network travel time is never shorter than the straight-line distance at the mode's
top speed. For a commute-sorted page, the nearest few buildings are routed first;
the slowest of the listings they put on the page is an upper bound for the page's
cut, so one more routing call answers every building whose lower bound could still
make the page, and the rest are left unrouted. With a ``max_minutes`` limit,
buildings whose lower bound already exceeds it are dropped unrouted and the others
are routed in one call. At most two routing calls: the engine's cost is mostly per
snapped coordinate plus one search per call, so fewer, fuller calls are cheaper
than growing batches. The answer is the same as routing everything (tests check this).
"""

from dataclasses import dataclass

from portal.geo.commute import (
    CommuteResult,
    commute_batch,
    destination_bounds,
    lower_bound_seconds,
    minutes_from_seconds,
    prepare_transit_access,
    snap_metres,
    transit_shortest_wait,
)
from portal.geo.regions import region_covering
from portal.geo.settings import GeoSettings

# Buildings routed before the page's cut is known; enough that a badly connected
# nearest building or two does not loosen the cut much.
FIRST_BATCH = 16
LatLon = tuple[float, float]


@dataclass(frozen=True)
class Building:
    """A property with ``listings`` units matching the other filters."""

    property_id: int
    home: LatLon
    listings: int


@dataclass(frozen=True)
class BuildingRanking:
    """:param buildings: those that can appear on the page, quickest first for sort=commute.
    :param total: listings matching everything, commute limit included.
    """

    buildings: list[tuple[Building, CommuteResult]]
    total: int


def minutes_key(result: CommuteResult) -> float:
    return result.minutes if result.ok else float("inf")


def rank_buildings(
    buildings: list[Building],
    destination: LatLon,
    mode: str,
    *,
    sort: str,
    max_minutes: int | None,
    wanted: int,
    settings: GeoSettings,
) -> BuildingRanking:
    """The buildings that hold the first ``wanted`` listings, with their commutes.

    :param sort: ``commute`` (quickest first, then cheapest) or ``rent``.
    """
    region = region_covering(*destination)
    results: dict[int, CommuteResult] = {}
    wait = 0.0
    if mode == "transit" and region is not None:
        wait = transit_shortest_wait(destination, settings, region)
    # Bounds already worked out for this destination (the next page, another filter);
    # a home with a bound is inside the region.
    memo = destination_bounds(region, destination, mode, wait) if region is not None else {}
    if region is not None:
        # Buildings in another region (or off this one's streets) have no trip to route.
        outline = region.outline
        inside = [b for b in buildings if b.home in memo or outline.contains(*b.home)]
        if len(inside) < len(buildings):
            kept = {b.property_id for b in inside}
            results.update(
                (b.property_id, CommuteResult(mode, "outside_coverage"))
                for b in buildings
                if b.property_id not in kept
            )
    else:
        inside = buildings
    fresh = [b for b in inside if b.home not in memo]
    if mode == "transit" and region is not None and fresh:
        prepare_transit_access([b.home for b in fresh], region, settings)
    homes_m: list[float | None] = [0.0] * len(fresh)
    destination_m = 0.0
    if region is not None and fresh:
        homes_m, destination_m = snap_metres(
            [b.home for b in fresh], destination, mode, settings, region
        )

    def route(batch: list[Building]) -> None:
        answers = commute_batch([b.home for b in batch], destination, mode, settings, region)
        results.update((b.property_id, r) for b, r in zip(batch, answers, strict=True))

    unknown = [b for b, snapped in zip(fresh, homes_m, strict=True) if snapped is None]
    if unknown:
        # Buildings the engine has never snapped (a new process, new buildings) are
        # routed now, once: their walk to the street then tightens every later bound.
        route(unknown)
    bounds = {b.property_id: memo[b.home] for b in inside if b.home in memo}
    for b, snapped in zip(fresh, homes_m, strict=True):
        bound = lower_bound_seconds(
            b.home, destination, mode, wait, (snapped or 0.0) + destination_m
        )
        bounds[b.property_id] = bound
        if snapped is not None and region is not None:
            memo[b.home] = bound  # with the snap known it never changes for this import
    outside = [b for b in buildings if b.property_id not in bounds]
    if max_minutes:
        # A trip rounds to max_minutes up to (max_minutes + 0.5) minutes.
        limit = (max_minutes + 0.5) * 60
        inside = [b for b in inside if bounds[b.property_id] < limit]
        outside = []
    order = sorted(inside, key=lambda b: (bounds[b.property_id], b.property_id))

    rest = order
    if sort == "commute" and not max_minutes and not _cannot_prune(order, bounds, wanted):
        first = _nearest_covering(order, wanted)
        route([b for b in first if b.property_id not in results])
        cut = _page_cut([b for b in order if b.property_id in results], results, wanted)
        rest = [b for b in order[len(first) :] if b.property_id not in results]
        if cut is not None:
            # Minutes never undercut the rounded lower bound, and the final page's cut is
            # at most `cut`; a building rounding above it cannot reach the page.
            rest = [b for b in rest if minutes_from_seconds(bounds[b.property_id]) <= cut]
    rest = [b for b in rest if b.property_id not in results]
    if rest:
        route(rest)
    routed = [b for b in order if b.property_id in results] + outside
    if max_minutes:
        routed = [
            b
            for b in routed
            if results[b.property_id].ok and results[b.property_id].minutes <= max_minutes
        ]
        total = sum(b.listings for b in routed)
    else:
        total = sum(b.listings for b in buildings)
    if sort != "commute":
        return BuildingRanking([(b, results[b.property_id]) for b in routed], total)
    routed.sort(key=lambda b: (minutes_key(results[b.property_id]), b.property_id))
    # Keep buildings until `wanted` listings are covered, plus every building tied on minutes.
    kept, covered, last_minutes = [], 0, None
    for b in routed:
        minutes = minutes_key(results[b.property_id])
        if covered >= wanted and minutes != last_minutes:
            break
        kept.append((b, results[b.property_id]))
        covered += b.listings
        last_minutes = minutes
    return BuildingRanking(kept, total)


def _cannot_prune(order: list[Building], bounds: dict[int, float], wanted: int) -> bool:
    """Whether every building would be routed anyway, so one call beats two.

    The page's cut is at least the rounded bound of the building at which the
    nearest-first order covers ``wanted`` listings; buildings whose rounded bound does
    not exceed that are always routed. If that is all of them (short trips by car in
    a small region), the first call only adds a search.
    """
    covered = 0
    for b in order:
        covered += b.listings
        if covered >= wanted:
            floor = minutes_from_seconds(bounds[b.property_id])
            return minutes_from_seconds(bounds[order[-1].property_id]) <= floor
    return True


def _nearest_covering(order: list[Building], wanted: int) -> list[Building]:
    """The nearest buildings: at least FIRST_BATCH, and enough to hold ``wanted`` listings."""
    covered = 0
    for i, b in enumerate(order):
        covered += b.listings
        if i + 1 >= FIRST_BATCH and covered >= wanted:
            return order[: i + 1]
    return order


def _page_cut(routed: list[Building], results: dict[int, CommuteResult], wanted: int) -> int | None:
    """Minutes of the ``wanted``-th quickest routed listing, or None if too few are reachable."""
    covered = 0
    for b in sorted(
        (b for b in routed if results[b.property_id].ok),
        key=lambda b: results[b.property_id].minutes,
    ):
        covered += b.listings
        if covered >= wanted:
            return results[b.property_id].minutes
    return None
