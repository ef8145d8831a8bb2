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


def map_layers(region: GeoRegion, lat: float, lon: float, radius_m: float = MAP_RADIUS_M) -> dict:
    """A FeatureCollection: LineStrings for streets, Points for places (with category)."""
    min_lat, min_lon, max_lat, max_lon = degrees_box(lat, lon, radius_m)

    def inside(point) -> bool:
        return min_lat <= point[0] <= max_lat and min_lon <= point[1] <= max_lon

    features = []
    for street in load_network(region.data_dir)["streets"]:
        coords = street["coords"]
        if any(inside(c) for c in coords):
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [[round(c[1], 5), round(c[0], 5)] for c in coords],
                    },
                    "properties": {
                        "layer": "street",
                        "highway": street["highway"],
                        "name": street["name"],
                    },
                }
            )
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
                "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                "properties": {
                    "layer": "place",
                    "category": place.category,
                    "kind": place.kind,
                    "name": place.name,
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "centre": [lat, lon],
        "attribution": "© OpenStreetMap contributors",
    }
