"""Travel times on the street network from OSRM: in-process bindings or an osrm-routed server.

Both engines answer the same question, a duration/distance matrix between points,
so callers never know which one runs. Coordinates are snapped to the nearest
routable street; the walk between the point and its snapped position is added at
walking speed, so a listing set back in a courtyard is not given a free walk.
"""

import json
import threading
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import osrm

from portal.geo.routing_prep import PROFILES, osrm_base

WALK_SPEED_MPS = 5.0 / 3.6  # OSRM's foot profile speed, used for the snap legs

LatLon = tuple[float, float]


@dataclass(frozen=True)
class Leg:
    """One origin-destination result: None when the network has no path between them."""

    seconds: float | None
    metres: float | None

    @property
    def reachable(self) -> bool:
        return self.seconds is not None


class RoutingEngine(Protocol):
    name: str

    def matrix(
        self, sources: list[LatLon], targets: list[LatLon], mode: str
    ) -> list[list[Leg]]: ...

    def known_snaps(self, points: list[LatLon], mode: str) -> list[float | None]: ...

    def remember_snaps(self, points: list[LatLon], metres: list[float], mode: str) -> None: ...


class SnapMemory:
    """Metres from each point to where the engine snapped it, per network and mode.

    A point snaps to the same place on a given prepared network whatever else is in
    the query, so what one matrix learns holds for every later one. Commute ranking
    uses it to tighten its lower bounds: the walk to and from the street is part of
    every trip. Bounded; the oldest points are forgotten first.
    """

    LIMIT = 200_000

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], dict[LatLon, float]] = {}
        self._lock = threading.Lock()

    def record(self, network: str, mode: str, points: list[LatLon], metres: list[float]) -> None:
        with self._lock:
            known = self._known.setdefault((network, mode), {})
            known.update(zip(points, metres, strict=True))
            while len(known) > self.LIMIT:
                del known[next(iter(known))]

    def recall(self, network: str, mode: str, points: list[LatLon]) -> list[float | None]:
        with self._lock:
            known = self._known.get((network, mode), {})
            return [known.get(p) for p in points]

    def forget(self, network: str) -> None:
        with self._lock:
            for key in [k for k in self._known if k[0] == network]:
                del self._known[key]


SNAPS = SnapMemory()


def _legs(durations, distances, sources_snap, targets_snap) -> list[list[Leg]]:
    rows = []
    for i, (drow, mrow) in enumerate(zip(durations, distances, strict=True)):
        row = []
        for j, (seconds, metres) in enumerate(zip(drow, mrow, strict=True)):
            if seconds is None or metres is None:
                row.append(Leg(None, None))
                continue
            snap = sources_snap[i] + targets_snap[j]
            row.append(Leg(float(seconds) + snap / WALK_SPEED_MPS, float(metres) + snap))
        rows.append(row)
    return rows


class OsrmBindingsEngine:
    """OSRM in this process (osrm-bindings, MLD), reading one region's prepared files."""

    name = "osrm"
    _cache: dict[tuple[str, str], osrm.OSRM] = {}
    _lock = threading.Lock()

    def __init__(self, data_dir: str | Path):
        self.data_dir = Path(data_dir)

    def _engine(self, mode: str) -> osrm.OSRM:
        key = (str(self.data_dir), mode)
        with self._lock:
            engine = self._cache.get(key)
            if engine is None:
                base = osrm_base(self.data_dir, mode)
                if not base.with_suffix(".osrm.partition").exists():
                    raise FileNotFoundError(f"No prepared {mode} routing data in {base.parent}")
                engine = osrm.OSRM(
                    storage_config=str(base), algorithm="MLD", use_shared_memory=False
                )
                self._cache[key] = engine
            return engine

    @classmethod
    def forget(cls, data_dir: str | Path) -> None:
        """Drop cached engines of a data directory that is about to be removed."""
        with cls._lock:
            for key in [k for k in cls._cache if k[0] == str(Path(data_dir))]:
                del cls._cache[key]
        SNAPS.forget(str(Path(data_dir)))

    def known_snaps(self, points: list[LatLon], mode: str) -> list[float | None]:
        return SNAPS.recall(str(self.data_dir), mode, points)

    def remember_snaps(self, points: list[LatLon], metres: list[float], mode: str) -> None:
        """Snap distances stored earlier (portal.geo.building_access) for these points."""
        SNAPS.record(str(self.data_dir), mode, points, metres)

    def matrix(self, sources: list[LatLon], targets: list[LatLon], mode: str) -> list[list[Leg]]:
        if not sources or not targets:
            return [[] for _ in sources]
        coords = [(lon, lat) for lat, lon in [*sources, *targets]]
        n = len(sources)
        params = osrm.TableParameters(
            coordinates=coords,
            sources=list(range(n)),
            destinations=list(range(n, len(coords))),
            annotations=["duration", "distance"],
        )
        result = self._engine(mode).Table(params)
        durations = [list(row) for row in result["durations"]]
        distances = [list(row) for row in result["distances"]]
        src_snap = [float(w["distance"]) for w in result["sources"]]
        dst_snap = [float(w["distance"]) for w in result["destinations"]]
        SNAPS.record(str(self.data_dir), mode, [*sources, *targets], [*src_snap, *dst_snap])
        return _legs(durations, distances, src_snap, dst_snap)


class OsrmHttpEngine:
    """The same matrix from ``osrm-routed`` servers (one URL per mode), for large deployments."""

    name = "osrm-http"

    def __init__(self, urls: dict[str, str], timeout: float = 10.0):
        self.urls = urls
        self.timeout = timeout

    def matrix(self, sources: list[LatLon], targets: list[LatLon], mode: str) -> list[list[Leg]]:
        if not sources or not targets:
            return [[] for _ in sources]
        points = [*sources, *targets]
        coords = ";".join(f"{lon:.6f},{lat:.6f}" for lat, lon in points)
        n = len(sources)
        query = urllib.parse.urlencode(
            {
                "sources": ";".join(map(str, range(n))),
                "destinations": ";".join(map(str, range(n, len(points)))),
                "annotations": "duration,distance",
            }
        )
        profile = PROFILES[mode]
        url = f"{self.urls[mode].rstrip('/')}/table/v1/{profile}/{coords}?{query}"
        if not url.startswith(("http://", "https://")):
            raise ValueError("OSRM server URLs must be http(s)")
        with urllib.request.urlopen(url, timeout=self.timeout) as response:  # noqa: S310
            result = json.load(response)
        if result.get("code") != "Ok":
            raise RuntimeError(f"osrm-routed answered {result.get('code')}")
        src_snap = [float(w["distance"]) for w in result["sources"]]
        dst_snap = [float(w["distance"]) for w in result["destinations"]]
        SNAPS.record(self.urls[mode], mode, points, [*src_snap, *dst_snap])
        return _legs(result["durations"], result["distances"], src_snap, dst_snap)

    def known_snaps(self, points: list[LatLon], mode: str) -> list[float | None]:
        return SNAPS.recall(self.urls[mode], mode, points)

    def remember_snaps(self, points: list[LatLon], metres: list[float], mode: str) -> None:
        SNAPS.record(self.urls[mode], mode, points, metres)
