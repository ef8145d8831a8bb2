"""How buildings meet the networks, routed at import and on save, read by new processes.

Neither part depends on where anyone commutes to: the metres from a building to where
it snaps on each mode's network (which tighten commute bounds) and its walks to the
transit stops within reach (the first leg of every transit estimate). Routing them on
a process's first search made that search many times slower than the next; now
``flask geo import`` and the after-save neighbourhood job store them, and a new
process starts from the stored values. Writers flush and never commit.
"""

import sqlalchemy as sa

from portal.extensions import db
from portal.geo.modes import ROUTED_MODES
from portal.geo.regions import region_covering, routing_engine, transit_estimator
from portal.geo.settings import GeoSettings
from portal.models import BuildingAccess, GeoRegion, Property

LatLon = tuple[float, float]


def store_building_access(properties: list[Property], settings: GeoSettings) -> int:
    """Route and store how these properties' buildings meet the networks (flushes); how many."""
    by_region: dict[int, tuple[GeoRegion, list[LatLon]]] = {}
    for prop in properties:
        region = region_covering(prop.lat, prop.lon)
        if region is not None:
            by_region.setdefault(region.id, (region, []))[1].append((prop.lat, prop.lon))
    stored = 0
    for region, homes in by_region.values():
        homes = list(dict.fromkeys(homes))
        walks = transit_estimator(region, settings).stop_walks(homes)
        engine = routing_engine(region, settings)
        snaps = {}
        for mode in ROUTED_MODES:
            known = engine.known_snaps(homes, mode)
            missing = [h for h, m in zip(homes, known, strict=True) if m is None]
            if missing:
                engine.matrix(missing, [missing[0]], mode)  # one call teaches every snap
            snaps[mode] = engine.known_snaps(homes, mode)
        db.session.execute(
            sa.delete(BuildingAccess).where(
                BuildingAccess.region_id == region.id,
                sa.tuple_(BuildingAccess.lat, BuildingAccess.lon).in_(homes),
            )
        )
        db.session.execute(
            sa.insert(BuildingAccess),
            [
                {
                    "region_id": region.id,
                    "lat": lat,
                    "lon": lon,
                    "snaps": {m: snaps[m][i] for m in ROUTED_MODES if snaps[m][i] is not None},
                    "walks": walks[i],
                }
                for i, (lat, lon) in enumerate(homes)
            ],
        )
        stored += len(homes)
    db.session.flush()
    return stored
