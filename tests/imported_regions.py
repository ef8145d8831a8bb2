"""Imported OSM regions: the demo city and the five city extracts.

Each extract is read and routed once per session; its rows are stored per test (the
tables are emptied after every test). Registered as a pytest plugin in ``tests/conftest.py``.
"""

import os

import pytest

from portal.extensions import db


@pytest.fixture(scope="session")
def geo_prepared(tmp_path_factory):
    """The demo extract read and its routing prepared once per session (seconds, not per test)."""
    from portal.config import Config
    from portal.geo.importer import prepare_region

    return prepare_region(Config.DEMO_PBF, tmp_path_factory.mktemp("geo"), "helsinki")


@pytest.fixture
def geo_region(app, geo_prepared):
    """The demo region's rows stored as `flask geo import` stores them (tables empty per test)."""
    from portal.geo.importer import store_region

    report = store_region("helsinki", geo_prepared)
    db.session.commit()
    return report.region


CITY_DATA = os.path.join(os.path.dirname(__file__), "data", "cities")
CITY_EXTRACTS = {
    "bristol": "whitelion_bristol_uk.osm.pbf",
    "singapore": "bayfront_singapore.osm.pbf",
    "paris": "paris_bss.osm.pbf",
    "roma": "via_montebello_roma_italy.osm.pbf",
    "amsterdam": "amsterdam.osm.pbf",
}


@pytest.fixture(scope="session")
def cities_prepared(tmp_path_factory):
    """The five city extracts (tests/data/cities) read and routed once per session."""
    from portal.geo.importer import prepare_region

    root = tmp_path_factory.mktemp("cities")
    return {
        name: prepare_region(os.path.join(CITY_DATA, file), root, name)
        for name, file in CITY_EXTRACTS.items()
    }


@pytest.fixture
def city_regions(app, cities_prepared):
    """All five city regions stored side by side, as five `flask geo import` runs leave them."""
    from portal.geo.importer import store_region

    regions = {name: store_region(name, p).region for name, p in cities_prepared.items()}
    db.session.commit()
    return regions
