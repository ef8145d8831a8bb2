"""Public-transport travel time, *estimated* from OSM route relations (no timetable).

A trip is: walk to a stop (on the network), wait half the mode's headway, ride at
the mode's average speed along the route's stop sequence, optionally transfer once
(walk to a stop nearby, wait again, ride again), then walk to the destination.
Walking all the way is always a candidate, so the estimate is never worse than
walking. A GTFS-based estimator can replace this one: anything with the same
``name`` / ``is_estimate`` / ``to_destination`` interface works.
"""

import json
import math
import threading
import zlib
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from portal.geo.distance import haversine_m
from portal.geo.routing import Leg, RoutingEngine

RIDE_CIRCUITY = 1.2  # stop-to-stop straight lines understate the route length
DWELL_SECONDS = 20  # per intermediate stop
TRANSFER_RADIUS_M = 250
WALK_MPS = 5.0 / 3.6
INF = math.inf
ACCESS_CACHE = 50_000  # buildings whose walks to nearby stops are kept
BOARDING_CACHE = 64  # destinations whose boarding times are kept
LatLon = tuple[float, float]


class TransitEstimator(Protocol):
    name: str
    is_estimate: bool

    def to_destination(self, origins: list[LatLon], destination: LatLon) -> list[Leg]: ...


@dataclass(frozen=True)
class RoutePattern:
    mode: str
    ref: str
    stops: tuple[int, ...]  # indexes into the estimator's stop list, in travel order


class RouteRelationEstimator:
    """Walk + wait + ride (+ one transfer) + walk over the region's route relations."""

    name = "osm-routes-estimate"
    is_estimate = True

    def __init__(
        self,
        routes: list[tuple[str, str, list[list[float]]]],
        walker: RoutingEngine,
        headway_min: Mapping[str, float],
        speed_kmh: Mapping[str, float],
        max_access_walk_m: float = 1200.0,
    ):
        """:param routes: (mode, ref, [[lat, lon], ...]) per route relation, stops in order."""
        self.walker = walker
        self.headway_min = headway_min
        self.speed_kmh = speed_kmh
        self.max_walk_m = max_access_walk_m
        self.stops: list[LatLon] = []
        index: dict[tuple[float, float], int] = {}
        self.patterns: list[RoutePattern] = []
        directions: dict[tuple[str, str], int] = {}
        for mode, ref, _ in routes:
            directions[(mode, ref)] = directions.get((mode, ref), 0) + 1
        for mode, ref, stops in routes:
            ids = []
            for lat, lon in stops:
                key = (round(lat, 5), round(lon, 5))
                if key not in index:
                    index[key] = len(self.stops)
                    self.stops.append((lat, lon))
                ids.append(index[key])
            self.patterns.append(RoutePattern(mode, ref, tuple(ids)))
            # A route mapped as one relation (no separate return relation) runs both ways.
            if directions[(mode, ref)] == 1 or not ref:
                self.patterns.append(RoutePattern(mode, ref, tuple(reversed(ids))))
        self._prepare()
        self._access: dict[LatLon, list[tuple[int, Leg]]] = {}
        self._stored: dict[LatLon, str] = {}  # walks read from the database, not decoded yet
        self._access_lock = threading.Lock()
        self._boarding: OrderedDict[tuple[float, float], list[tuple[float, float]] | None] = (
            OrderedDict()
        )
        self._boarding_lock = threading.Lock()

    def _near(self, point: LatLon, radius: float) -> list[int]:
        return [i for i, s in enumerate(self.stops) if haversine_m(*point, *s) <= radius]

    @property
    def shortest_wait_seconds(self) -> float:
        """No ride starts sooner than half the most frequent mode's headway."""
        modes = {p.mode for p in self.patterns}
        return min((60 * self.headway_min.get(m, 10) / 2 for m in modes), default=INF)

    def _prepare(self) -> None:
        """Cumulative ride metres per pattern and stop pairs close enough to transfer."""
        self.cumulative = []
        for pattern in self.patterns:
            total, cumulative = 0.0, [0.0]
            for a, b in zip(pattern.stops, pattern.stops[1:], strict=False):
                total += haversine_m(*self.stops[a], *self.stops[b]) * RIDE_CIRCUITY
                cumulative.append(total)
            self.cumulative.append(cumulative)
        self.transfers: list[list[tuple[int, float]]] = [[] for _ in self.stops]
        # Pairs within the radius, found by a sweep in latitude order (not all pairs).
        by_lat = sorted(range(len(self.stops)), key=lambda i: self.stops[i][0])
        reach = TRANSFER_RADIUS_M / 111_000
        for n, a in enumerate(by_lat):
            stop_a = self.stops[a]
            for b in by_lat[n + 1 :]:
                if self.stops[b][0] - stop_a[0] > reach:
                    break
                gap = haversine_m(*stop_a, *self.stops[b])
                if gap <= TRANSFER_RADIUS_M:
                    self.transfers[a].append((b, gap * 1.3))
                    self.transfers[b].append((a, gap * 1.3))
        for neighbours in self.transfers:
            neighbours.sort()  # the order the all-pairs loop gave

    def _board_from(self, then: list[tuple[float, float]]) -> list[tuple[float, float]]:
        """Best (seconds, metres) from boarding at each stop, riding one vehicle, then ``then``.

        One backward sweep per pattern: the best alighting stop after stop i is the
        best of stop i+1 and the best after it, since ride time is additive.
        """
        best = [(INF, 0.0)] * len(self.stops)
        for pattern, cumulative in zip(self.patterns, self.cumulative, strict=True):
            wait = 60 * self.headway_min.get(pattern.mode, 10) / 2
            speed = self.speed_kmh.get(pattern.mode, 18) / 3.6
            # key(j) = cumulative[j] / speed + DWELL * j + then[j]; ride(i, j) + then[j]
            # = key(j) - cumulative[i] / speed - DWELL * (i + 1).
            best_key, best_j = INF, -1
            for i in range(len(pattern.stops) - 1, -1, -1):
                if best_j >= 0:
                    seconds = best_key - cumulative[i] / speed - DWELL_SECONDS * (i + 1) + wait
                    board = pattern.stops[i]
                    if seconds < best[board][0]:
                        metres = cumulative[best_j] - cumulative[i] + then[pattern.stops[best_j]][1]
                        best[board] = (seconds, metres)
                after = then[pattern.stops[i]]
                if after[0] < INF:
                    key = cumulative[i] / speed + DWELL_SECONDS * i + after[0]
                    if key < best_key:
                        best_key, best_j = key, i
        return best

    def to_destination(self, origins: list[LatLon], destination: LatLon) -> list[Leg]:
        """Estimated door-to-door legs from each origin to ``destination``."""
        direct = self.walker.matrix(origins, [destination], "walk")
        results = [row[0] for row in direct]
        if not self.stops or not origins:
            return results
        boarding = self._boarding_towards(destination)
        if boarding is None:
            return results
        for n, access in enumerate(self._access_legs(origins)):
            best = results[n]
            for stop, leg in access:
                if boarding[stop][0] == INF:
                    continue
                seconds = leg.seconds + boarding[stop][0]
                if best.seconds is None or seconds < best.seconds:
                    best = Leg(seconds, leg.metres + boarding[stop][1])
            results[n] = best
        return results

    def _boarding_towards(self, destination: LatLon) -> list[tuple[float, float]] | None:
        """Best (seconds, metres) from boarding at each stop to ``destination``, or None.

        It depends on the destination alone, so a search that asks for a few buildings
        and then a few more computes it once (kept for the last BOARDING_CACHE destinations).
        """
        key = (round(destination[0], 6), round(destination[1], 6))
        with self._boarding_lock:
            if key in self._boarding:
                self._boarding.move_to_end(key)
                return self._boarding[key]
        egress_stops = self._near(destination, self.max_walk_m)
        boarding = None
        if egress_stops:
            egress = [(INF, 0.0)] * len(self.stops)
            legs = self.walker.matrix([self.stops[i] for i in egress_stops], [destination], "walk")
            for stop, row in zip(egress_stops, legs, strict=True):
                if row[0].reachable:
                    egress[stop] = (row[0].seconds, row[0].metres)
            one_ride = self._board_from(egress)
            # After a first ride: walk out, or ride again from here or a stop within 250 m.
            after_first = [min(e, r) for e, r in zip(egress, one_ride, strict=True)]
            for a, neighbours in enumerate(self.transfers):
                for b, walk in neighbours:
                    if one_ride[b][0] < INF:
                        total = (walk / WALK_MPS + one_ride[b][0], walk + one_ride[b][1])
                        if total[0] < after_first[a][0]:
                            after_first[a] = total
            boarding = self._board_from(after_first)
        with self._boarding_lock:
            self._boarding[key] = boarding
            while len(self._boarding) > BOARDING_CACHE:
                self._boarding.popitem(last=False)
        return boarding

    def forget_destinations(self) -> None:
        with self._boarding_lock:
            self._boarding.clear()

    def prepare_access(self, origins: list[LatLon]) -> None:
        """Route the walks to nearby stops of every origin not yet known, in one call.

        A search by transit asks for a few buildings at a time, nearest the destination
        first; routing all candidate buildings' walks at once, the first time, costs one
        matrix instead of one per search until each building has been near a destination.
        """
        # Walks read from the database are ready already; they are decoded when asked.
        origins = [o for o in origins if o not in self._stored]
        if origins and len(origins) <= ACCESS_CACHE:
            self._access_legs(origins)

    @property
    def stops_fingerprint(self) -> int:
        """Names this stop list, so stored walks are used only with the stops they index."""
        return zlib.crc32(repr([(round(a, 6), round(b, 6)) for a, b in self.stops]).encode())

    def stop_walks(self, origins: list[LatLon]) -> list[dict]:
        """Each origin's walks to the stops within reach, to store (``remember_stop_walks``)."""
        fingerprint = self.stops_fingerprint
        return [
            {"stops": fingerprint, "legs": [[i, leg.seconds, leg.metres] for i, leg in access]}
            for access in self._access_legs(origins)
        ]

    def remember_stop_walks(self, stored: dict[LatLon, str]) -> None:
        """Walks stored earlier, as JSON text; each is decoded only when its origin is asked."""
        with self._access_lock:
            self._stored = dict(stored)

    def _decode_stored(self, origins: list[LatLon]) -> None:
        fingerprint = self.stops_fingerprint if self._stored else None
        for origin in origins:
            text = self._stored.pop(origin, None)
            if text is None:
                continue
            walks = json.loads(text) if isinstance(text, str) else text
            if walks.get("stops") != fingerprint:
                continue  # another import's stops: route again
            legs = [(int(i), Leg(seconds, metres)) for i, seconds, metres in walks["legs"]]
            with self._access_lock:
                if len(self._access) < ACCESS_CACHE:
                    self._access[origin] = legs

    def _access_legs(self, origins: list[LatLon]) -> list[list[tuple[int, Leg]]]:
        """Walking legs from each origin to every stop within reach, routed once per origin.

        They do not depend on the destination, so a building's legs are kept and
        reused for every destination asked about later.
        """
        if self._stored:
            self._decode_stored([o for o in dict.fromkeys(origins) if o not in self._access])
        missing = [o for o in dict.fromkeys(origins) if o not in self._access]
        if missing:
            near = {o: self._near(o, self.max_walk_m) for o in missing}
            wanted = sorted({i for stops in near.values() for i in stops})
            if wanted:
                rows = self.walker.matrix(missing, [self.stops[i] for i in wanted], "walk")
            else:
                rows = [[] for _ in missing]
            position = {stop: j for j, stop in enumerate(wanted)}
            with self._access_lock:
                for origin, row in zip(missing, rows, strict=True):
                    legs = [(i, row[position[i]]) for i in near[origin]]
                    self._access[origin] = [(i, leg) for i, leg in legs if leg.reachable]
                while len(self._access) > ACCESS_CACHE:
                    self._access.pop(next(iter(self._access)))
        return [self._access.get(o, []) for o in origins]


def transit_access(route_minutes: dict[tuple[str, str], float], scale_max: float = 40.0) -> int:
    """A 0–100 transit access measure: routes within walking distance, by mode and distance.

    Follows the published Transit Score idea without timetables: each distinct route
    (mode + ref) counts once, weighted by mode (rail 2, ferry 1.5, bus 1) and by the
    walking decay to its nearest stop, then log-scaled so ``scale_max`` weighted
    routes reach 100.
    """
    from portal.geo.walkability import WalkabilityFormula

    decay = WalkabilityFormula().decay_at
    weight = {"train": 2, "subway": 2, "light_rail": 2, "tram": 2, "monorail": 2, "ferry": 1.5}
    total = sum(weight.get(mode, 1.0) * decay(m) for (mode, _), m in route_minutes.items())
    if total <= 0:
        return 0
    return min(100, round(100 * math.log1p(total) / math.log1p(scale_max)))
