"""Neighbourhood facts for listing pages and the API, kept fresh without writing on a read.

A page shows the stored summary when it is current. When it is not (a property
moved, a region re-imported, and the job has not run yet), the page computes the
facts for this answer only and schedules the job that stores them: a GET never
writes. Saving a new or moved property schedules the same job once the transaction
commits (a save never waits ~0.1 s per property for routing, and a rolled-back save
computes nothing).
"""

import logging
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.geo.neighbourhood import compute_neighbourhood
from portal.geo.neighbourhood_store import is_stale, refresh_neighbourhoods
from portal.geo.regions import region_covering
from portal.geo.settings import GeoSettings
from portal.jobs import run_later
from portal.models import NeighbourhoodSummary, Property
from portal.settings import geo_settings

log = logging.getLogger(__name__)
JOB = "portal.listings.neighbourhoods:refresh_job"
_PENDING = "neighbourhood_pending"


def neighbourhood_facts(prop: Property, settings: GeoSettings) -> dict | None:
    """The property's neighbourhood facts; None when no imported region covers it."""
    return page_neighbourhood(prop, settings).facts


@dataclass(frozen=True)
class PageNeighbourhood:
    facts: dict | None  # what the page shows; None when no imported region covers it
    stored: NeighbourhoodSummary | None  # the stored summary, current or not (the fit reads it)
    current: bool  # False when the facts were computed for this answer only


def page_neighbourhood(prop: Property, settings: GeoSettings) -> PageNeighbourhood:
    """What a listing page needs of the neighbourhood: one summary and one region read."""
    summary = db.session.scalar(
        sa.select(NeighbourhoodSummary).where(NeighbourhoodSummary.property_id == prop.id)
    )
    region = region_covering(prop.lat, prop.lon)
    if not is_stale(summary, prop, region):
        return PageNeighbourhood(summary.facts, summary, current=True)
    if region is None:
        return PageNeighbourhood(None, summary, current=True)
    _schedule([prop.id])
    return PageNeighbourhood(
        compute_neighbourhood(prop.lat, prop.lon, region, settings), summary, current=False
    )


def refresh_job(property_ids: list[int]) -> int:
    """Job: store the summaries of these properties and commit; returns how many were stored."""
    stored = refresh_neighbourhoods(property_ids, geo_settings())
    db.session.commit()
    return stored


def _schedule(property_ids: list[int]) -> None:
    try:
        run_later(JOB, sorted(property_ids))
    except Exception:  # the caller's work stands; the next read schedules it again
        log.exception("could not schedule neighbourhood precompute")


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
    if current_app.config.get("GEO_NEIGHBOURHOOD_ON_SAVE", True):
        _schedule(list(ids))


def register(app: Flask) -> None:
    """Listen to every session once per process: saves of properties schedule the job."""
    if getattr(register, "_done", False):
        return
    event.listen(Session, "after_flush", _note_saved_properties)
    event.listen(Session, "after_commit", _schedule_after_commit)
    event.listen(Session, "after_soft_rollback", lambda s, prev: s.info.pop(_PENDING, None))
    register._done = True
