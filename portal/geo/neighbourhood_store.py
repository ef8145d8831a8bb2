"""Neighbourhood summaries kept per property: computed on import and on property save.

Saving a new property, or moving one, schedules its summary once the transaction
commits (a background job: a save never waits ~0.1 s per property for routing, and
a rolled-back save computes nothing). Reads still check for staleness, so a summary
is never shown for an old position or an old import even if the job has not run.
"""

import logging

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.geo.neighbourhood import compute_neighbourhood
from portal.geo.regions import region_covering
from portal.geo.settings import GeoSettings
from portal.jobs import run_later
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


def refresh_neighbourhoods(property_ids: list[int]) -> int:
    """Job: store the summaries of these properties; returns how many were stored."""
    settings = GeoSettings.from_mapping(current_app.config)
    stored = 0
    for prop in db.session.scalars(sa.select(Property).where(Property.id.in_(property_ids))):
        if refresh_neighbourhood(prop, settings) is not None:
            stored += 1
    db.session.commit()
    return stored


_PENDING = "neighbourhood_pending"


def _note_saved_properties(session: Session, flush_context) -> None:
    """After a flush (ids assigned): new properties and moved ones need a summary."""
    for obj in (*session.new, *session.dirty):
        if not isinstance(obj, Property):
            continue
        state = sa.inspect(obj)
        moved = state.attrs.lat.history.has_changes() or state.attrs.lon.history.has_changes()
        if obj in session.new or moved:
            session.info.setdefault(_PENDING, set()).add(obj.id)


def _schedule_after_commit(session: Session) -> None:
    ids = session.info.pop(_PENDING, None)
    if not ids or not has_app_context():
        return
    if not current_app.config.get("GEO_NEIGHBOURHOOD_ON_SAVE", True):
        return
    try:
        run_later("portal.geo.neighbourhood_store:refresh_neighbourhoods", sorted(ids))
    except Exception:  # the save committed; a read recomputes the summary if need be
        log.exception("could not schedule neighbourhood precompute")


def register(app: Flask) -> None:
    if getattr(register, "_done", False):
        return
    event.listen(Session, "after_flush", _note_saved_properties)
    event.listen(Session, "after_commit", _schedule_after_commit)
    event.listen(Session, "after_soft_rollback", lambda s, prev: s.info.pop(_PENDING, None))
    register._done = True
