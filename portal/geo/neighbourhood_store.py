"""Neighbourhood summaries stored per property: the writers and the staleness rule.

A summary is stale when the property moved or its region was re-imported since it
was computed; ``fresh_summary`` never returns a stale one. Writers flush and never
commit: the import command, the after-save job (``portal.listings.neighbourhoods``)
and tests call them and commit.
"""

import sqlalchemy as sa

from portal.extensions import db
from portal.geo.building_access import store_building_access
from portal.geo.neighbourhood import compute_neighbourhood
from portal.geo.regions import region_covering
from portal.geo.settings import GeoSettings
from portal.models import GeoRegion, NeighbourhoodSummary, Property
from portal.models.base import utcnow


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


def is_stale(
    summary: NeighbourhoodSummary | None, prop: Property, region: GeoRegion | None
) -> bool:
    """Does ``summary`` describe an old position or an old import (or nothing)?"""
    return (
        summary is None
        or region is None
        or summary.region_id != region.id
        or (summary.origin_lat, summary.origin_lon) != (prop.lat, prop.lon)
        or summary.computed_at < region.imported_at
    )


def fresh_summary(prop: Property) -> NeighbourhoodSummary | None:
    """The stored summary if it is current; None when missing or stale (reads only)."""
    summary = db.session.scalar(
        sa.select(NeighbourhoodSummary).where(NeighbourhoodSummary.property_id == prop.id)
    )
    if is_stale(summary, prop, region_covering(prop.lat, prop.lon)):
        return None
    return summary


def neighbourhood_of(prop: Property, settings: GeoSettings) -> NeighbourhoodSummary | None:
    """The stored summary, recomputed and stored first if it is stale (flushes)."""
    summary = fresh_summary(prop)
    if summary is None:
        return refresh_neighbourhood(prop, settings)
    return summary


def refresh_all_neighbourhoods(settings: GeoSettings) -> int:
    """Recompute every property's summary and stop walks (after an import); how many stored."""
    properties = list(db.session.scalars(sa.select(Property).order_by(Property.id)))
    return _refresh(properties, settings)


def refresh_neighbourhoods(property_ids: list[int], settings: GeoSettings) -> int:
    """Store the summaries and stop walks of these properties (flushes); how many stored."""
    properties = list(db.session.scalars(sa.select(Property).where(Property.id.in_(property_ids))))
    return _refresh(properties, settings)


def _refresh(properties: list[Property], settings: GeoSettings) -> int:
    stored = sum(refresh_neighbourhood(prop, settings) is not None for prop in properties)
    store_building_access(properties, settings)
    return stored
