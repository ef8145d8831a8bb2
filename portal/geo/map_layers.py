"""GeoJSON for the offline neighbourhood map: imported streets and places around a point."""

import sqlalchemy as sa

from portal.extensions import db
from portal.geo.distance import degrees_box
from portal.geo.importer import load_network
from portal.models import GeoPlace, GeoRegion

MAP_RADIUS_M = 500
MAP_CATEGORIES = (
    "grocery",
    "cafe",
    "restaurant",
    "bar",
    "park",
    "fitness",
    "school",
    "library",
    "health",
    "transit",
)


# What the map draws, and no more: streets merged per name and line weight into one
# MultiLineString each (a handful of canvas paths, not a thousand SVG nodes), simplified
# to a few metres, rounded to 5 decimals (about 1 m); places with their category and label.
SIMPLIFY_TOLERANCE_DEG = 0.00003  # about 3 m north-south, 1.7 m east-west at Helsinki
STREET_WEIGHTS = {
    "footway": 1,
    "path": 1,
    "steps": 1,
    "cycleway": 1,
    "service": 1.5,
    "pedestrian": 3,
}
DEFAULT_STREET_WEIGHT = 3


def simplify(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas-Peucker on (x, y) pairs: drop points closer than ``tolerance`` to the line."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length_sq = dx * dx + dy * dy
        worst, worst_at = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if length_sq == 0:
                dist_sq = (px - x1) ** 2 + (py - y1) ** 2
            else:
                t = max(0.0, min(1.0, ((px - x1) * dx + (py - y1) * dy) / length_sq))
                dist_sq = (px - x1 - t * dx) ** 2 + (py - y1 - t * dy) ** 2
            if dist_sq > worst:
                worst, worst_at = dist_sq, i
        if worst_at is not None and worst > tolerance * tolerance:
            keep[worst_at] = True
            stack += [(first, worst_at), (worst_at, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def map_layers(region: GeoRegion, lat: float, lon: float, radius_m: float = MAP_RADIUS_M) -> dict:
    """A FeatureCollection: one MultiLineString per street name and weight (``weight``,
    ``name``), one Point per place (``category``, ``label``)."""
    min_lat, min_lon, max_lat, max_lon = degrees_box(lat, lon, radius_m)

    def inside(point) -> bool:
        return min_lat <= point[0] <= max_lat and min_lon <= point[1] <= max_lon

    streets: dict[tuple[str, float], list] = {}
    for street in load_network(region.data_dir)["streets"]:
        coords = street["coords"]
        if not any(inside(c) for c in coords):
            continue
        line = [[round(c[1], 5), round(c[0], 5)] for c in coords]
        line = simplify(line, SIMPLIFY_TOLERANCE_DEG)
        weight = STREET_WEIGHTS.get(street["highway"], DEFAULT_STREET_WEIGHT)
        streets.setdefault((street["name"] or "", weight), []).append(line)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "MultiLineString", "coordinates": lines},
            "properties": {"layer": "street", "weight": weight, "name": name},
        }
        for (name, weight), lines in sorted(streets.items())
    ]
    places = db.session.execute(
        sa.select(
            GeoPlace.category, GeoPlace.kind, GeoPlace.name, GeoPlace.lat, GeoPlace.lon
        ).where(
            GeoPlace.region_id == region.id,
            GeoPlace.category.in_(MAP_CATEGORIES),
            GeoPlace.lat.between(min_lat, max_lat),
            GeoPlace.lon.between(min_lon, max_lon),
        )
    )
    for place in places:
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(place.lon, 5), round(place.lat, 5)],
                },
                "properties": {
                    "layer": "place",
                    "category": place.category,
                    "label": place.name or place.kind.replace("_", " "),
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "centre": [lat, lon],
        "attribution": "© OpenStreetMap contributors",
    }
