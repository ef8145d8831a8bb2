"""Buildings' walks to nearby transit stops, routed at import and on save, read by new processes.

The walks do not depend on where anyone commutes to. Routing them on a process's
first transit search made that search 5-10x slower than the next; now the import
(``flask geo import``) and the after-save neighbourhood job store them, and the
transit estimator of a new process starts from the stored walks. Writers flush and
never commit.
"""

import sqlalchemy as sa

from portal.extensions import db
from portal.geo.regions import region_covering, transit_estimator
from portal.geo.settings import GeoSettings
from portal.models import GeoRegion, Property, StopWalks

LatLon = tuple[float, float]


def store_stop_walks(properties: list[Property], settings: GeoSettings) -> int:
    """Route and store the stop walks of these properties' buildings (flushes); how many."""
    by_region: dict[int, tuple[GeoRegion, list[LatLon]]] = {}
    for prop in properties:
        region = region_covering(prop.lat, prop.lon)
        if region is not None:
            by_region.setdefault(region.id, (region, []))[1].append((prop.lat, prop.lon))
    stored = 0
    for region, homes in by_region.values():
        homes = list(dict.fromkeys(homes))
        walks = transit_estimator(region, settings).stop_walks(homes)
        db.session.execute(
            sa.delete(StopWalks).where(
                StopWalks.region_id == region.id,
                sa.tuple_(StopWalks.lat, StopWalks.lon).in_(homes),
            )
        )
        db.session.execute(
            sa.insert(StopWalks),
            [
                {"region_id": region.id, "lat": lat, "lon": lon, "walks": legs}
                for (lat, lon), legs in zip(homes, walks, strict=True)
            ],
        )
        stored += len(homes)
    db.session.flush()
    return stored
