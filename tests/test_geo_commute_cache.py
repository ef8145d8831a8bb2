"""Repeat searches reuse what the first worked out, and never get a different answer for it."""

import random

import pytest

from portal.extensions import db
from portal.geo import commute
from portal.geo.building_access import store_building_access
from portal.geo.region_import import import_region
from portal.geo.settings import GeoSettings
from portal.listings.services import ListingFilters, search_listings
from portal.models import BuildingAccess, GeoRegion, Property
from tests.factories import gen_property, gen_unit
from tests.osm_files import street_grid, write_extract

SETTINGS = GeoSettings()


@pytest.fixture
def buildings(geo_region):
    """80 buildings over the demo region, one to three listings each."""
    rng = random.Random(11)
    for _ in range(80):
        prop = gen_property(
            lat=rng.uniform(geo_region.min_lat + 0.001, geo_region.max_lat - 0.001),
            lon=rng.uniform(geo_region.min_lon + 0.001, geo_region.max_lon - 0.001),
        )
        for _ in range(rng.randint(1, 3)):
            gen_unit(prop, rent_eur=rng.choice([900, 1200, 1500, 1800]))
    db.session.commit()
    return geo_region


CASES = ((1, None, None), (2, None, None), (1, 1500, None), (1, None, 12))


def _answer(filters, page):
    result = search_listings(filters, page, 12, SETTINGS)
    return [(u.id, result.commutes[u.id]) for u in result.items], result.total


@pytest.mark.parametrize("mode", ["walk", "bike", "transit"])
def test_cached_and_fresh_rankings_are_identical(buildings, mode):
    """Over many destinations, pages and filters, the cached answer equals a fresh one.

    Driving is left out: OSRM's car table answers a trip whose ends snap onto one
    one-way segment differently depending on the other points of the call (2 or 10
    minutes), so a fresh search's own answer depends on its batches (bench/README.md).
    """
    rng = random.Random(mode)
    region = buildings
    for _ in range(12):
        destination = (
            rng.uniform(region.min_lat + 0.002, region.max_lat - 0.002),
            rng.uniform(region.min_lon + 0.002, region.max_lon - 0.002),
        )
        for page, max_rent, max_minutes in CASES:
            filters = ListingFilters(
                max_rent=max_rent,
                commute_to=destination,
                mode=mode,
                max_minutes=max_minutes,
                sort="commute",
            )
            cached = _answer(filters, page)  # reuses the earlier pages' answers and bounds
            commute.clear_cache()
            fresh = _answer(filters, page)
            assert cached == fresh


def test_stored_building_access_gives_the_same_transit_answer(buildings):
    """Walks to stops and snaps stored at import give the answers routing them would."""
    properties = list(db.session.scalars(db.select(Property)))
    assert store_building_access(properties, SETTINGS) == len({(p.lat, p.lon) for p in properties})
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(BuildingAccess.id))) > 0
    filters = ListingFilters(commute_to=(60.1699, 24.9384), mode="transit", sort="commute")
    commute.clear_cache()
    routed = _answer(filters, 1)
    # A fresh process: no estimator, no remembered snaps; everything read from the table.
    from portal.geo import regions, routing

    regions._estimators.clear()
    regions._access_read.clear()
    routing.SNAPS.forget(buildings.data_dir)
    commute.clear_cache()
    assert _answer(filters, 1) == routed


def test_import_drops_the_cached_answers(app, tmp_path):
    """`flask geo import` empties this process's cache; the new data directory keys the rest."""
    nodes, ways = street_grid()
    pbf = write_extract(tmp_path / "grid.osm.pbf", nodes, ways)
    settings = GeoSettings(data_dir=str(tmp_path / "geo"))
    import_region(pbf, "grid", settings)
    region = db.session.scalar(db.select(GeoRegion).where(GeoRegion.name == "grid"))
    old_dir = region.data_dir
    start, end = (60.2005, 24.8005), (60.2015, 24.8025)  # inside the grid
    assert commute.commute_batch([start], end, "walk", settings)[0].ok
    assert commute._cache
    import_region(pbf, "grid", settings)
    assert not commute._cache
    assert not commute._bounds
    db.session.refresh(region)
    assert region.data_dir != old_dir
    assert commute.commute_batch([start], end, "walk", settings)[0].ok
