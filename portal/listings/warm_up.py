"""Warm a new server process before it takes requests, so its first commute search is not slow.

A fresh worker pays once for what every later search reuses: opening each region's
OSRM files, building the transit estimator from the route relations, reading where
the buildings meet the networks, and compiling the search's SQL statements. Run from
gunicorn's ``post_worker_init`` hook (``gunicorn.conf.py``), never from
``create_app``: the factory stays free of work, and a CLI command or a test that
never searches never pays for it.
"""

import logging
import time

import sqlalchemy as sa

from portal.extensions import db
from portal.geo.modes import COMMUTE_MODES
from portal.geo.regions import remember_building_access, transit_estimator
from portal.geo.settings import GeoSettings
from portal.listings.services import ListingFilters, search_listings
from portal.models import GeoRegion, Property

log = logging.getLogger(__name__)

# The index form's usual shapes: no filter, and bedrooms with a rent limit. Each shape
# is its own compiled statement, so each is run once.
_FILTER_SHAPES = ({}, {"min_bedrooms": 1, "max_rent": 100_000})


def warm_up(geo: GeoSettings) -> float:
    """Open every region's engines and run one commute search per mode; seconds taken.

    Leaves nothing written: the searches only read, and the session is rolled back.
    """
    started = time.perf_counter()
    try:
        for region in db.session.scalars(sa.select(GeoRegion)):
            remember_building_access(region, geo)
            transit_estimator(region, geo)
            home = db.session.execute(
                sa.select(Property.lat, Property.lon)
                .where(
                    Property.lat.between(region.min_lat, region.max_lat),
                    Property.lon.between(region.min_lon, region.max_lon),
                )
                .limit(1)
            ).first()
            if home is None:
                continue
            for mode in COMMUTE_MODES:
                for shape in _FILTER_SHAPES:
                    filters = ListingFilters(
                        commute_to=(home.lat, home.lon), mode=mode, sort="commute", **shape
                    )
                    search_listings(filters, 1, 12, geo)
    finally:
        db.session.rollback()
    took = time.perf_counter() - started
    log.info("warmed up in %.0f ms", took * 1000)
    return took
