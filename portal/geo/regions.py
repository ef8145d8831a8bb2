"""Which imported region covers a point, and the engines that route inside it."""

import threading

import sqlalchemy as sa

from portal.extensions import db
from portal.geo.coverage import Outline
from portal.geo.modes import ROUTED_MODES
from portal.geo.routing import OsrmBindingsEngine, OsrmHttpEngine, RoutingEngine
from portal.geo.settings import GeoSettings
from portal.geo.transit import RouteRelationEstimator, TransitEstimator
from portal.listings.catalogue_version import catalogue_cache, catalogue_version
from portal.models import BuildingAccess, GeoRegion, TransitRoute

_estimators: dict[tuple[str, str], RouteRelationEstimator] = {}
_access_read: set[tuple[str, str]] = set()
_lock = threading.Lock()
_HELD = "regions_held"  # Session.info key: the regions this session has found


def region_covering(lat: float, lon: float) -> GeoRegion | None:
    """The most recently imported region whose street-network outline contains the point.

    Regions may overlap (two extracts of one city); the newest import wins. The regions'
    outlines are kept per catalogue version (a brief asked six times per request, each
    a query over the regions); the region itself comes from the session.
    """
    outlines = catalogue_cache().get(catalogue_version(), "region outlines", _region_outlines)
    found = next((rid for rid, outline in outlines if outline.contains(lat, lon)), None)
    if found is None:
        return None
    region = db.session.get(GeoRegion, found)
    # Held by the session: its identity map keeps objects only while they are referenced,
    # and each later call for the region would read the row again.
    db.session.info.setdefault(_HELD, {})[found] = region
    return region


def _region_outlines() -> tuple[tuple[int, Outline], ...]:
    """(id, outline) of every region, newest import first."""
    regions = db.session.scalars(sa.select(GeoRegion).order_by(GeoRegion.imported_at.desc()))
    return tuple((region.id, region.outline) for region in regions)


def covered_area_names() -> list[str]:
    """The regions we cover as people name them ("Bristol", "Helsinki"), for messages."""
    regions = db.session.scalars(sa.select(GeoRegion).order_by(GeoRegion.name))
    return list(dict.fromkeys(region.label for region in regions))


def forget_destinations() -> None:
    """Drop what transit estimators keep per destination (what buildings keep stays)."""
    with _lock:
        estimators = list(_estimators.values())
    for estimator in estimators:
        estimator.forget_destinations()


def remember_building_access(region: GeoRegion, settings: GeoSettings) -> None:
    """Give this process's engines where the region's buildings snap (read once per import)."""
    key = (region.data_dir, settings.routing)
    with _lock:
        if key in _access_read:
            return
        _access_read.add(key)
    rows = db.session.execute(
        sa.select(BuildingAccess.lat, BuildingAccess.lon, BuildingAccess.snaps).where(
            BuildingAccess.region_id == region.id
        )
    ).all()
    engine = routing_engine(region, settings)
    for mode in ROUTED_MODES:
        known = [((r.lat, r.lon), r.snaps[mode]) for r in rows if r.snaps.get(mode) is not None]
        if known:
            engine.remember_snaps([p for p, _ in known], [m for _, m in known], mode)


def routing_engine(region: GeoRegion, settings: GeoSettings) -> RoutingEngine:
    if settings.routing == "http":
        return OsrmHttpEngine(dict(settings.osrm_urls))
    return OsrmBindingsEngine(region.data_dir)


def transit_estimator(region: GeoRegion, settings: GeoSettings) -> TransitEstimator:
    """The route-relation estimator of a region, built once per import and reused."""
    key = (region.data_dir, settings.routing)
    with _lock:
        estimator = _estimators.get(key)
    if estimator is None:
        rows = db.session.execute(
            sa.select(TransitRoute.mode, TransitRoute.ref, TransitRoute.stops)
            .where(TransitRoute.region_id == region.id)
            .order_by(TransitRoute.id)  # the stop list's order, which stored walks index
        ).all()
        estimator = RouteRelationEstimator(
            [(r.mode, r.ref, r.stops) for r in rows],
            routing_engine(region, settings),
            settings.headway_min,
            settings.speed_kmh,
            settings.max_access_walk_m,
        )
        # Buildings' walks to stops, routed at import or on save (portal.geo.building_access).
        stored = db.session.execute(
            sa.select(
                BuildingAccess.lat, BuildingAccess.lon, sa.cast(BuildingAccess.walks, sa.Text)
            ).where(BuildingAccess.region_id == region.id)
        )
        estimator.remember_stop_walks({(lat, lon): walks for lat, lon, walks in stored})
        with _lock:
            _estimators[key] = estimator
    return estimator
