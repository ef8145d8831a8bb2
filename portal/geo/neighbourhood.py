"""Neighbourhood facts for a point: nearest places by walking time, counts, scores.

Walking times come from the routing engine (one 1×N table per point), never from
straight lines; straight lines only pre-select which places are worth routing to.
"""

import math

import sqlalchemy as sa

from portal.extensions import db
from portal.geo.categories import CATEGORY_LABELS
from portal.geo.distance import degrees_box, haversine_m
from portal.geo.importer import load_network
from portal.geo.regions import routing_engine
from portal.geo.settings import GeoSettings
from portal.geo.transit import transit_access
from portal.models import GeoPlace, GeoRegion, TransitRoute

ATTRIBUTION = "© OpenStreetMap contributors"
WALK_M_PER_MIN = 5000 / 60
COUNT_MINUTES = (5, 10, 15)
SCORE_MINUTES = 30
NEAREST_SHOWN = 3
PER_CATEGORY_BEYOND = 10  # enough for the ten restaurant weights
SQ_MI_M2 = 2_589_988.11
CLUSTER_M = 20
# Shown in lists, but not worth walking times: nobody picks a home for its car park.
UNROUTED_CATEGORIES = frozenset({"parking"})


def compute_neighbourhood(lat: float, lon: float, region: GeoRegion, settings: GeoSettings) -> dict:
    """Facts for the point (see the module docstring); JSON-ready."""
    formula = settings.walkability
    reach_m = SCORE_MINUTES * WALK_M_PER_MIN
    count_m = max(COUNT_MINUTES) * WALK_M_PER_MIN * 1.05
    min_lat, min_lon, max_lat, max_lon = degrees_box(lat, lon, reach_m)
    rows = db.session.execute(
        sa.select(
            GeoPlace.category, GeoPlace.kind, GeoPlace.name, GeoPlace.lat, GeoPlace.lon
        ).where(
            GeoPlace.region_id == region.id,
            GeoPlace.lat.between(min_lat, max_lat),
            GeoPlace.lon.between(min_lon, max_lon),
        )
    ).all()
    by_category: dict[str, list[tuple[float, object]]] = {}
    for row in rows:
        straight = haversine_m(lat, lon, row.lat, row.lon)
        if straight <= reach_m and row.category not in UNROUTED_CATEGORIES:
            by_category.setdefault(row.category, []).append((straight, row))
    targets = []
    for places in by_category.values():
        places.sort(key=lambda item: item[0])
        targets.extend(
            row for i, (d, row) in enumerate(places) if d <= count_m or i < PER_CATEGORY_BEYOND
        )
    route_stops = _route_stops(region, lat, lon, settings.max_access_walk_m)
    stop_points = sorted({stop for stops in route_stops.values() for stop in stops})
    points = [(r.lat, r.lon) for r in targets] + stop_points
    legs = _walk_legs(region, settings, (lat, lon), points)
    place_legs, stop_legs = legs[: len(targets)], legs[len(targets) :]

    categories: dict[str, dict] = {}
    minutes_by_category: dict[str, list[float]] = {}
    for row, leg in zip(targets, place_legs, strict=True):
        if not leg.reachable:
            continue
        minutes = leg.seconds / 60
        minutes_by_category.setdefault(row.category, []).append(minutes)
        entry = categories.setdefault(row.category, {"places": []})
        entry["places"].append((minutes, leg.metres, row))
    facts_categories = {}
    for category, label in CATEGORY_LABELS.items():
        if category in UNROUTED_CATEGORIES:
            continue
        found = sorted(categories.get(category, {"places": []})["places"], key=lambda p: p[0])
        facts_categories[category] = {
            "label": label,
            "nearest": [
                {
                    "name": row.name or _unnamed(row.kind),
                    "kind": row.kind,
                    "minutes": max(1, round(minutes)),
                    "metres": round(metres),
                    "lat": round(row.lat, 6),
                    "lon": round(row.lon, 6),
                }
                for minutes, metres, row in found[:NEAREST_SHOWN]
            ],
            "within": {str(m): sum(1 for p in found if p[0] <= m) for m in COUNT_MINUTES},
        }
    density, block = _street_pattern(lat, lon, region, formula.radius_m)
    walk = formula.score(minutes_by_category, density, block)
    stop_minutes = {
        stop: leg.seconds / 60
        for stop, leg in zip(stop_points, stop_legs, strict=True)
        if leg.reachable
    }
    route_minutes = {}
    for route, stops in route_stops.items():
        reachable = [stop_minutes[s] for s in stops if s in stop_minutes]
        if reachable:
            route_minutes[route] = min(reachable)
    nearby_routes = sorted(
        (
            {"mode": mode, "ref": ref, "minutes": max(1, round(m))}
            for (mode, ref), m in route_minutes.items()
            if m <= 10
        ),
        key=lambda r: (r["minutes"], r["mode"], r["ref"]),
    )
    return {
        "region": region.name,
        "walkability": walk,
        "transit": {"score": transit_access(route_minutes), "routes": nearby_routes},
        "categories": facts_categories,
        "attribution": ATTRIBUTION,
    }


def _walk_legs(region, settings, origin, points):
    """Walking legs to every point; points within ~20 m of each other share one routed point.

    Shops in one building and the platforms of one stop sit metres apart: routing
    each separately costs time and changes no minute figure by more than a few seconds.
    """
    if not points:
        return []
    cos_lat = math.cos(math.radians(origin[0]))
    cells: dict[tuple[int, int], int] = {}
    index = []
    for p_lat, p_lon in points:
        key = (round(p_lat * 111_320 / CLUSTER_M), round(p_lon * 111_320 * cos_lat / CLUSTER_M))
        index.append(cells.setdefault(key, len(cells)))
    representatives = [None] * len(cells)
    for point, i in zip(points, index, strict=True):
        representatives[i] = representatives[i] or point
    legs = routing_engine(region, settings).matrix([origin], representatives, "walk")[0]
    return [legs[i] for i in index]


def _unnamed(kind: str) -> str:
    return kind.replace("_", " ").replace("+", " / ").capitalize()


def _route_stops(
    region: GeoRegion, lat: float, lon: float, radius_m: float
) -> dict[tuple[str, str], list[tuple[float, float]]]:
    """Stops within walking reach of every distinct route (mode + ref) of the region."""
    found: dict[tuple[str, str], list[tuple[float, float]]] = {}
    rows = db.session.execute(
        sa.select(TransitRoute.mode, TransitRoute.ref, TransitRoute.name, TransitRoute.stops).where(
            TransitRoute.region_id == region.id
        )
    )
    for mode, ref, name, stops in rows:
        near = [
            (round(s[0], 6), round(s[1], 6))
            for s in stops
            if haversine_m(lat, lon, s[0], s[1]) <= radius_m
        ]
        if near:
            found.setdefault((mode, ref or name), []).extend(near)
    return found


def _street_pattern(lat: float, lon: float, region: GeoRegion, radius_m: float):
    """(intersections per square mile, average block metres) around the point, or Nones.

    Only the part of the circle inside the region's coverage counts as area, so a
    point near the edge of a cut extract is not penalised for the streets it lacks.
    """
    network = load_network(region.data_dir)
    inside = _share_inside(lat, lon, radius_m, region)
    if inside <= 0:
        return None, None
    min_lat, min_lon, max_lat, max_lon = degrees_box(lat, lon, radius_m)
    count = sum(
        1
        for p_lat, p_lon in network["intersections"]
        if min_lat <= p_lat <= max_lat
        and min_lon <= p_lon <= max_lon
        and haversine_m(lat, lon, p_lat, p_lon) <= radius_m
    )
    blocks = [
        length
        for b_lat, b_lon, length in network["blocks"]
        if min_lat <= b_lat <= max_lat
        and min_lon <= b_lon <= max_lon
        and haversine_m(lat, lon, b_lat, b_lon) <= radius_m
    ]
    area_sq_mi = math.pi * radius_m**2 * inside / SQ_MI_M2
    density = count / area_sq_mi
    block = sum(blocks) / len(blocks) if blocks else None
    return density, block


def _share_inside(
    lat: float, lon: float, radius_m: float, region: GeoRegion, steps: int = 24
) -> float:
    """Share of the circle's area inside the region's box, by sampling a grid."""
    min_lat, min_lon, max_lat, max_lon = degrees_box(lat, lon, radius_m)
    inside = total = 0
    for i in range(steps):
        for j in range(steps):
            p_lat = min_lat + (i + 0.5) * (max_lat - min_lat) / steps
            p_lon = min_lon + (j + 0.5) * (max_lon - min_lon) / steps
            if haversine_m(lat, lon, p_lat, p_lon) <= radius_m:
                total += 1
                inside += region.covers(p_lat, p_lon)
    return inside / total if total else 0.0
