"""A new server process warms up before its first request: the first commute search is not slow."""

import gc
import importlib.util
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask import Flask

from portal.extensions import db
from portal.geo import commute, regions, transit
from portal.geo.settings import GeoSettings
from portal.listings.services import ListingFilters, search_listings
from portal.listings.warm_up import warm_up
from tests.factories import gen_property, gen_unit

SETTINGS = GeoSettings()


@pytest.fixture
def region_with_listings(geo_region):
    prop = gen_property(lat=60.1699, lon=24.9384)
    gen_unit(prop, rent_eur=1200)
    db.session.commit()
    commute.clear_cache()
    with regions._lock:
        regions._estimators.clear()
        regions._access_read.clear()
    return geo_region


def _row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_warm_up_builds_each_engine_once_so_the_first_search_builds_none(
    region_with_listings, monkeypatch
):
    """After the warm-up, a transit search to a new destination builds no estimator."""
    warm_up(SETTINGS)
    built = []
    original = transit.RouteRelationEstimator.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(transit.RouteRelationEstimator, "__init__", counting)
    page = search_listings(
        ListingFilters(commute_to=(60.1719, 24.9414), mode="transit", sort="commute"),
        1,
        12,
        SETTINGS,
    )
    assert page.items
    assert built == []


def test_warm_up_writes_nothing(region_with_listings):
    """It only reads: every table holds what it held before."""
    before = _row_counts()
    assert warm_up(SETTINGS) > 0
    assert _row_counts() == before


def test_warm_up_without_regions_does_nothing(app):
    """A database with no imported region warms up in no time and without errors."""
    assert warm_up(SETTINGS) >= 0


@pytest.fixture(autouse=True)
def frozen(monkeypatch) -> list:
    """``gc.freeze`` noted, not done: frozen, this test process would keep its apps for good."""
    calls: list = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    return calls


def _gunicorn_config():
    path = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("setting", "warmed"), [(None, True), ("1", True), ("0", False)])
def test_gunicorn_workers_warm_up_unless_told_not_to(app, monkeypatch, frozen, setting, warmed):
    """``post_worker_init`` warms the worker's app and freezes what it holds for good (out
    of the garbage collector's walks); PORTAL_WARM_UP=0 skips both."""
    calls = []
    monkeypatch.setattr("portal.listings.warm_up.warm_up", lambda geo: calls.append(geo))
    if setting is None:
        monkeypatch.delenv("PORTAL_WARM_UP", raising=False)
    else:
        monkeypatch.setenv("PORTAL_WARM_UP", setting)
    worker = SimpleNamespace(wsgi=app, log=logging.getLogger("test"))
    _gunicorn_config().post_worker_init(worker)
    assert len(calls) == (1 if warmed else 0)
    assert frozen == (["freeze"] if warmed else [])


def test_a_worker_that_cannot_warm_up_still_starts(app, monkeypatch, caplog):
    """A failing warm-up is logged, never fatal: the worker serves cold."""

    def broken(geo):
        raise RuntimeError("no OSRM files")

    monkeypatch.setattr("portal.listings.warm_up.warm_up", broken)
    worker = SimpleNamespace(wsgi=app, log=logging.getLogger("test"))
    with caplog.at_level(logging.ERROR):
        _gunicorn_config().post_worker_init(worker)
    assert "warm-up failed" in caplog.text


def test_another_app_served_from_this_directory_is_left_alone(monkeypatch, caplog):
    """The benchmarks' bare Flask baseline reads gunicorn.conf.py too: no warm-up, no error."""
    calls = []
    monkeypatch.setattr("portal.listings.warm_up.warm_up", lambda geo: calls.append(geo))
    worker = SimpleNamespace(wsgi=Flask("bare"), log=logging.getLogger("test"))
    with caplog.at_level(logging.ERROR):
        _gunicorn_config().post_worker_init(worker)
    assert calls == []
    assert caplog.text == ""
