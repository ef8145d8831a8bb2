"""Neighbourhood summaries kept per property: computed on import, refreshed when stale."""

import logging

import sqlalchemy as sa

from portal.extensions import db
from portal.geo.neighbourhood import compute_neighbourhood
from portal.geo.regions import region_covering
from portal.geo.settings import GeoSettings
from portal.models import NeighbourhoodSummary, Property
from portal.models.base import utcnow

log = logging.getLogger(__name__)


def refresh_neighbourhood(prop: Property, settings: GeoSettings) -> NeighbourhoodSummary | None:
    """Compute and store the property's summary (flushes); None when no region covers it."""
    summary = db.session.scalar(
        sa.select(NeighbourhoodSummary).where(NeighbourhoodSummary.property_id == prop.id)
    )
    region = region_covering(prop.lat, prop.lon)
    if region is None:
        if summary is not None:
            db.session.delete(summary)
            db.session.flush()
        return None
    facts = compute_neighbourhood(prop.lat, prop.lon, region, settings)
    if summary is None:
        summary = NeighbourhoodSummary(property_id=prop.id)
        db.session.add(summary)
    summary.region_id = region.id
    summary.origin_lat, summary.origin_lon = prop.lat, prop.lon
    summary.walkability = facts["walkability"]["score"]
    summary.transit_access = facts["transit"]["score"]
    summary.facts = facts
    summary.computed_at = utcnow()
    db.session.flush()
    return summary


def neighbourhood_of(prop: Property, settings: GeoSettings) -> NeighbourhoodSummary | None:
    """The stored summary, recomputed first if the property moved or the region was re-imported."""
    summary = db.session.scalar(
        sa.select(NeighbourhoodSummary).where(NeighbourhoodSummary.property_id == prop.id)
    )
    region = region_covering(prop.lat, prop.lon)
    stale = (
        summary is None
        or region is None
        or summary.region_id != region.id
        or (summary.origin_lat, summary.origin_lon) != (prop.lat, prop.lon)
        or summary.computed_at < region.imported_at
    )
    if stale:
        return refresh_neighbourhood(prop, settings)
    return summary


def refresh_all_neighbourhoods(settings: GeoSettings) -> int:
    """Recompute every property's summary (after an import); returns how many were stored."""
    stored = 0
    for prop in db.session.scalars(sa.select(Property).order_by(Property.id)):
        if refresh_neighbourhood(prop, settings) is not None:
            stored += 1
    return stored
