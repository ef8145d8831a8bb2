"""Commute times: the one source of truth for pages, the API, agent briefs and follow-ups.

``commute_minutes(origin, destination, mode)`` answers one trip; ``commute_batch``
answers many homes to one destination with one routing matrix, which is what
listing search, sorting and cards use. Results are cached per destination, so a
visitor paging through listings does not route the same trip twice.
"""

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

from portal.geo.distance import haversine_m
from portal.geo.modes import COMMUTE_MODES
from portal.geo.regions import (
    forget_destinations,
    region_covering,
    remember_building_access,
    routing_engine,
    transit_estimator,
)
from portal.geo.routing import WALK_SPEED_MPS, Leg
from portal.geo.settings import GeoSettings
from portal.models import GeoRegion

LatLon = tuple[float, float]
CACHE_DESTINATIONS = 256
# Top speeds (km/h) no trip can beat on average, for straight-line lower bounds. Just
# above the shipped OSRM profiles' maxima (foot 5, bicycle 15 on every way it rides,
# car 90 on motorways or 0.8 x a tagged limit) and the transit speeds in settings (at
# most 45); a ferry with a timetabled duration is the one thing that could be faster.
# tests/test_geo_commute_bounds.py checks them against routed trips; raise them with
# faster profiles. The tighter they are, the fewer buildings a commute search routes.
BOUND_SPEED_KMH = {"walk": 6.0, "bike": 16.0, "drive": 130.0, "transit": 60.0}


@dataclass(frozen=True)
class CommuteResult:
    """:param status: ``ok``, ``unreachable`` (no path on the network) or ``outside_coverage``."""

    mode: str
    status: str
    minutes: int | None = None
    metres: int | None = None
    engine: str = ""
    estimate: bool = False

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def minutes_from_seconds(seconds: float) -> int:
    """Whole minutes, rounded half up, and never 0 for a trip that takes any time."""
    if seconds <= 0:
        return 0
    return max(1, math.floor(seconds / 60 + 0.5))


def lower_bound_seconds(
    origin: LatLon,
    destination: LatLon,
    mode: str,
    shortest_wait: float = 0.0,
    snapped_m: float = 0.0,
) -> float:
    """Seconds no route by ``mode`` can beat.

    Every trip walks from the origin to the street it snaps to and from the
    destination's street (``snapped_m`` metres together, at walking speed; 0 when not
    known yet), and covers the rest of the straight-line distance at most at the
    mode's top speed.

    :param shortest_wait: for transit, the least any ride waits; a transit trip is
        either a walk or waits at least that long.
    :param snapped_m: metres from origin and destination to their streets on the
        mode's network (for transit, the walking network's).
    """
    gap = max(0.0, haversine_m(*origin, *destination) - snapped_m)
    if mode == "transit":
        walking = gap / (BOUND_SPEED_KMH["walk"] / 3.6)
        network = min(walking, gap / (BOUND_SPEED_KMH["transit"] / 3.6) + shortest_wait)
    else:
        network = gap / (BOUND_SPEED_KMH[mode] / 3.6)
    return snapped_m / WALK_SPEED_MPS + network


def snap_metres(
    homes: list[LatLon], destination: LatLon, mode: str, settings: GeoSettings, region: GeoRegion
) -> tuple[list[float | None], float]:
    """How far the homes and the destination lie from their streets, for lower bounds.

    None for homes the engine has not snapped yet (0 m is then still a bound); the
    destination is snapped now if need be, in a one-point call.
    """
    remember_building_access(region, settings)
    engine = routing_engine(region, settings)
    network_mode = "walk" if mode == "transit" else mode  # transit trips start on foot
    (known,) = engine.known_snaps([destination], network_mode)
    if known is None:
        engine.matrix([destination], [destination], network_mode)
        (known,) = engine.known_snaps([destination], network_mode)
    return engine.known_snaps(homes, network_mode), known or 0.0


def transit_shortest_wait(
    destination: LatLon, settings: GeoSettings, region: GeoRegion | None = None
) -> float:
    region = region or region_covering(*destination)
    if region is None:
        return 0.0
    return getattr(transit_estimator(region, settings), "shortest_wait_seconds", 0.0)


def prepare_transit_access(homes: list[LatLon], region: GeoRegion, settings: GeoSettings) -> None:
    """Route the homes' walks to nearby stops up front; they do not depend on the destination."""
    prepare = getattr(transit_estimator(region, settings), "prepare_access", None)
    if prepare is not None:
        outline = region.outline
        prepare([h for h in dict.fromkeys(homes) if outline.contains(*h)])


_cache: "OrderedDict[tuple, dict[LatLon, CommuteResult]]" = OrderedDict()
_cache_lock = threading.Lock()


_bounds: "OrderedDict[tuple, dict[LatLon, float]]" = OrderedDict()


def destination_bounds(
    region: GeoRegion, destination: LatLon, mode: str, wait: float
) -> dict[LatLon, float]:
    """The lower bounds (seconds) worked out for trips to ``destination``, by home; fill it.

    Kept like the answers: per region import, destination point and mode, for the last
    CACHE_DESTINATIONS destinations, so a repeated search skips the straight-line work.
    """
    key = (region.data_dir, mode, round(destination[0], 6), round(destination[1], 6), wait)
    with _cache_lock:
        known = _bounds.setdefault(key, {})
        _bounds.move_to_end(key)
        while len(_bounds) > CACHE_DESTINATIONS:
            _bounds.popitem(last=False)
    return known


def clear_cache() -> None:
    """Forget every destination's answers.

    What belongs to buildings stays: their walks to nearby stops and where they meet
    the street (``routing.SNAPS``), which do not depend on the destination.
    """
    with _cache_lock:
        _cache.clear()
        _bounds.clear()
    forget_destinations()


def commute_batch(
    origins: list[LatLon],
    destination: LatLon,
    mode: str,
    settings: GeoSettings,
    region: GeoRegion | None = None,
) -> list[CommuteResult]:
    """One result per origin (a home), travelling to ``destination`` by ``mode``.

    :param region: the region covering ``destination``, when the caller already has it.
    """
    if mode not in COMMUTE_MODES:
        raise ValueError(f"Unknown mode {mode!r}; use one of {', '.join(COMMUTE_MODES)}.")
    region = region or region_covering(*destination)
    if region is None:
        return [CommuteResult(mode, "outside_coverage") for _ in origins]
    key = (region.data_dir, mode, round(destination[0], 6), round(destination[1], 6))
    with _cache_lock:
        known = _cache.setdefault(key, {})
        _cache.move_to_end(key)
        while len(_cache) > CACHE_DESTINATIONS:
            _cache.popitem(last=False)
    outline = region.outline
    wanted = [o for o in dict.fromkeys(origins) if o not in known and outline.contains(*o)]
    if wanted:
        if mode == "transit":
            estimator = transit_estimator(region, settings)
            legs, engine, estimate = (
                estimator.to_destination(wanted, destination),
                estimator.name,
                True,
            )
        else:
            router = routing_engine(region, settings)
            legs = [row[0] for row in router.matrix(wanted, [destination], mode)]
            engine, estimate = router.name, False
        fresh = {
            o: _result(mode, leg, engine, estimate) for o, leg in zip(wanted, legs, strict=True)
        }
        with _cache_lock:
            known.update(fresh)
    return [known[o] if o in known else CommuteResult(mode, "outside_coverage") for o in origins]


def commute_minutes(
    origin: LatLon, destination: LatLon, mode: str, settings: GeoSettings
) -> CommuteResult:
    """Door-to-door minutes and metres from ``origin`` to ``destination`` by ``mode``."""
    return commute_batch([origin], destination, mode, settings)[0]


def _result(mode: str, leg: Leg, engine: str, estimate: bool) -> CommuteResult:
    if not leg.reachable:
        return CommuteResult(mode, "unreachable", engine=engine, estimate=estimate)
    return CommuteResult(
        mode,
        "ok",
        minutes=minutes_from_seconds(leg.seconds),
        metres=round(leg.metres),
        engine=engine,
        estimate=estimate,
    )


@dataclass(frozen=True)
class Destination:
    """Where someone commutes to; kept in a visitor's session or as a CommuteDestination row."""

    label: str
    address: str
    lat: float
    lon: float
    mode: str
    arrive_by: str | None = None  # "HH:MM", local time; informational until timetables exist
    id: int | None = None

    @property
    def point(self) -> LatLon:
        return (self.lat, self.lon)


@dataclass(frozen=True)
class DestinationCommute:
    destination: Destination
    by_mode: dict[str, CommuteResult]

    @property
    def preferred(self) -> CommuteResult:
        return self.by_mode[self.destination.mode]


def commutes_for_homes(
    homes: list[LatLon],
    destinations: list[Destination],
    settings: GeoSettings,
    modes: tuple[str, ...] = COMMUTE_MODES,
) -> dict[LatLon, list[DestinationCommute]]:
    """Every home's minutes to every destination by every mode (one matrix per pair)."""
    homes = list(dict.fromkeys(homes))
    table: dict[LatLon, list[DestinationCommute]] = {home: [] for home in homes}
    for destination in destinations:
        per_mode = {mode: commute_batch(homes, destination.point, mode, settings) for mode in modes}
        for i, home in enumerate(homes):
            results = {mode: per_mode[mode][i] for mode in modes}
            table[home].append(DestinationCommute(destination, results))
    return table
