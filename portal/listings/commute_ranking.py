"""Rank buildings by commute without routing to every one of them.

Network travel time is never shorter than the straight-line distance at the mode's
top speed, so buildings are routed nearest-first in growing batches and the search
stops once the page is settled: no unrouted building could still beat it. With a
``max_minutes`` limit, buildings whose lower bound already exceeds it are dropped
unrouted. The answer is the same as routing everything (tests check this).
"""

from dataclasses import dataclass

from portal.geo.commute import (
    CommuteResult,
    commute_batch,
    lower_bound_seconds,
    transit_shortest_wait,
)
from portal.geo.settings import GeoSettings

FIRST_BATCH = 64
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
    wait = transit_shortest_wait(destination, settings) if mode == "transit" else 0.0
    bounds = {
        b.property_id: lower_bound_seconds(b.home, destination, mode, wait) for b in buildings
    }
    if max_minutes:
        # A trip rounds to max_minutes up to (max_minutes + 0.5) minutes.
        limit = (max_minutes + 0.5) * 60
        buildings = [b for b in buildings if bounds[b.property_id] < limit]
    order = sorted(buildings, key=lambda b: (bounds[b.property_id], b.property_id))
    results: dict[int, CommuteResult] = {}
    settle_early = sort == "commute" and not max_minutes
    start, size = 0, FIRST_BATCH
    while start < len(order):
        batch = order[start : start + size]
        answers = commute_batch([b.home for b in batch], destination, mode, settings)
        results.update((b.property_id, r) for b, r in zip(batch, answers, strict=True))
        start += size
        size *= 2
        if settle_early and start < len(order):
            floor_minutes = int(bounds[order[start].property_id] / 60 + 0.5)
            if _listings_quicker_than(order[:start], results, floor_minutes) >= wanted:
                break
    routed = [b for b in order if b.property_id in results]
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


def _listings_quicker_than(
    routed: list[Building], results: dict[int, CommuteResult], floor_minutes: int
) -> int:
    return sum(
        b.listings
        for b in routed
        if results[b.property_id].ok and results[b.property_id].minutes < floor_minutes
    )
