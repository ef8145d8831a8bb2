"""One streaming pass over an OSM extract with pyosmium: places, addresses, streets, routes.

Extracts cut at a bounding box reference nodes that are not in the file; their
locations are invalid and are skipped everywhere (pyosmium's location handler runs
with ``ignore_errors``), so a cut way keeps its surviving part.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import osmium

from portal.geo.categories import classify
from portal.geo.distance import haversine_m

# The street grid proper, for intersection density and block length: sidewalks,
# crossings and paths mapped as separate ways would make every block look tiny.
STREET_GRID = frozenset(
    {
        "primary",
        "secondary",
        "tertiary",
        "unclassified",
        "residential",
        "living_street",
        "pedestrian",
        "primary_link",
        "secondary_link",
        "tertiary_link",
    }
)
# Everything a pedestrian can use, drawn on the offline map.
WALKABLE_HIGHWAYS = STREET_GRID | {"service", "footway", "path", "steps", "cycleway", "track"}
TRANSIT_MODES = frozenset(
    {"bus", "trolleybus", "tram", "subway", "light_rail", "train", "ferry", "monorail"}
)


class ExtractError(ValueError):
    """The file is not a readable OSM extract."""


@dataclass
class ExtractData:
    pois: list[dict] = field(default_factory=list)
    addresses: list[dict] = field(default_factory=list)
    streets: list[dict] = field(default_factory=list)  # {name, highway, coords: [[lat, lon]]}
    routes: list[dict] = field(default_factory=list)  # {mode, ref, name, stops: [[lat, lon]]}
    bbox: tuple[float, float, float, float] | None = None  # min_lat, min_lon, max_lat, max_lon
    intersections: list[tuple[float, float]] = field(default_factory=list)
    blocks: list[tuple[float, float, float]] = field(default_factory=list)  # lat, lon, length
    street_node_count: int = 0


def _centroid(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    if len(points) > 1 and points[0] == points[-1]:
        points = points[:-1]
    if not points:
        return None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _way_points(way) -> list[tuple[float, float]]:
    return [(n.location.lat, n.location.lon) for n in way.nodes if n.location.valid()]


class _Collector:
    def __init__(self, progress: Callable[[int], None] | None):
        self.data = ExtractData()
        self.progress = progress
        self.seen = 0
        self.tagged_nodes: dict[int, tuple[float, float]] = {}
        self.way_centroids: dict[int, tuple[float, float]] = {}
        self.node_degree: dict[int, int] = {}
        self.walk_nodes: set[int] = set()
        self.street_nodes: list[list[tuple[int, float, float]]] = []
        self.raw_routes: list[dict] = []
        self.box = [90.0, 180.0, -90.0, -180.0]

    def tick(self) -> None:
        self.seen += 1
        if self.progress and self.seen % 2000 == 0:
            self.progress(2000)

    def place(self, tags, osm_type: str, osm_id: int, lat: float, lon: float) -> None:
        found = classify(tags)
        if found:
            category, kind = found
            self.data.pois.append(
                {
                    "osm_type": osm_type,
                    "osm_id": osm_id,
                    "category": category,
                    "kind": kind,
                    "name": tags.get("name") or tags.get("brand") or "",
                    "lat": lat,
                    "lon": lon,
                }
            )
        street, number = tags.get("addr:street"), tags.get("addr:housenumber")
        if street and number:
            self.data.addresses.append(
                {
                    "street": street.strip(),
                    "housenumber": number.strip(),
                    "postcode": tags.get("addr:postcode") or "",
                    "city": tags.get("addr:city") or "",
                    "country": tags.get("addr:country") or "",
                    "lat": lat,
                    "lon": lon,
                }
            )

    def node(self, n) -> None:
        if not n.location.valid():
            return
        lat, lon = n.location.lat, n.location.lon
        box = self.box
        box[0], box[1] = min(box[0], lat), min(box[1], lon)
        box[2], box[3] = max(box[2], lat), max(box[3], lon)
        if len(n.tags):
            self.tagged_nodes[n.id] = (lat, lon)
            self.place(n.tags, "node", n.id, lat, lon)

    def way(self, w) -> None:
        tags = w.tags
        highway = tags.get("highway")
        if highway in WALKABLE_HIGHWAYS and tags.get("area") != "yes":
            nodes = [(n.ref, n.location.lat, n.location.lon) for n in w.nodes if n.location.valid()]
            if len(nodes) >= 2:
                self.walk_nodes.update(ref for ref, _, _ in nodes)
                self.data.streets.append(
                    {
                        "name": tags.get("name") or "",
                        "highway": highway,
                        "coords": [[round(lat, 6), round(lon, 6)] for _, lat, lon in nodes],
                    }
                )
            if len(nodes) >= 2 and highway in STREET_GRID:
                self.street_nodes.append(nodes)
                for i, (ref, _, _) in enumerate(nodes):
                    end = i in (0, len(nodes) - 1)
                    self.node_degree[ref] = self.node_degree.get(ref, 0) + (1 if end else 2)
        if len(tags) and (classify(tags) or "addr:housenumber" in tags):
            centre = _centroid(_way_points(w))
            if centre:
                self.way_centroids[w.id] = centre
                self.place(tags, "way", w.id, *centre)

    def area(self, a) -> None:
        if a.from_way():
            return  # closed ways were handled as ways, with or without missing nodes
        points = [
            (n.location.lat, n.location.lon)
            for ring in a.outer_rings()
            for n in ring
            if n.location.valid()
        ]
        centre = _centroid(points)
        if centre:
            self.place(a.tags, "relation", a.orig_id(), *centre)

    def relation(self, r) -> None:
        tags = r.tags
        if tags.get("type") != "route" or tags.get("route") not in TRANSIT_MODES:
            return
        members = [
            (m.type, m.ref)
            for m in r.members
            if m.role.startswith(("stop", "platform")) and m.type in ("n", "w")
        ]
        self.raw_routes.append(
            {
                "mode": tags.get("route"),
                "ref": tags.get("ref") or "",
                "name": tags.get("name") or "",
                "members": members,
            }
        )

    def finish(self) -> ExtractData:
        data = self.data
        if self.box[0] <= self.box[2]:
            data.bbox = tuple(self.box)
        for route in self.raw_routes:
            stops: list[list[float]] = []
            for kind, ref in route.pop("members"):
                where = (self.tagged_nodes if kind == "n" else self.way_centroids).get(ref)
                if where and (not stops or haversine_m(*stops[-1], *where) > 30):
                    stops.append([where[0], where[1]])
            if len(stops) >= 2:
                route["stops"] = stops
                data.routes.append(route)
        self._measure_blocks()
        data.street_node_count = len(self.walk_nodes)
        return data

    def _measure_blocks(self) -> None:
        """Intersections (degree ≥ 3) and blocks (street pieces between junctions)."""
        degree = self.node_degree
        junctions = {ref for ref, d in degree.items() if d != 2}
        seen_intersections: set[int] = set()
        for nodes in self.street_nodes:
            length, start = 0.0, nodes[0]
            for prev, cur in zip(nodes, nodes[1:], strict=False):
                length += haversine_m(prev[1], prev[2], cur[1], cur[2])
                if cur[0] in junctions or cur is nodes[-1]:
                    if length > 0:
                        mid_lat, mid_lon = (start[1] + cur[1]) / 2, (start[2] + cur[2]) / 2
                        self.data.blocks.append((mid_lat, mid_lon, length))
                    length, start = 0.0, cur
            for ref, lat, lon in nodes:
                if degree.get(ref, 0) >= 3 and ref not in seen_intersections:
                    seen_intersections.add(ref)
                    self.data.intersections.append((lat, lon))


def read_extract(path: str | Path, progress: Callable[[int], None] | None = None) -> ExtractData:
    """Read places, addresses, walkable streets and transit routes from ``path``.

    :param progress: called now and then with the number of objects read since the last call.
    :raises ExtractError: the file is missing, empty or not an OSM file pyosmium can read.
    """
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        raise ExtractError(f"{path.name} is missing or empty.")
    collector = _Collector(progress)
    try:
        for obj in osmium.FileProcessor(str(path)).with_areas():
            collector.tick()
            if obj.is_node():
                collector.node(obj)
            elif obj.is_way():
                collector.way(obj)
            elif obj.is_area():
                collector.area(obj)
            elif obj.is_relation():
                collector.relation(obj)
    except RuntimeError as exc:  # libosmium reports format errors as RuntimeError
        raise ExtractError(f"{path.name} is not a readable OSM extract: {exc}") from exc
    data = collector.finish()
    if data.bbox is None:
        raise ExtractError(f"{path.name} contains no located nodes; nothing to import.")
    return data
