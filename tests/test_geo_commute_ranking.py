"""Commute search routes only the buildings that matter, with the same answer as routing all."""

import random

import pytest

from portal.extensions import db
from portal.geo.commute import clear_cache, commute_batch
from portal.geo.routing import SNAPS, OsrmBindingsEngine
from portal.geo.settings import GeoSettings
from portal.listings.services import ListingFilters, search_listings
from tests.factories import gen_property, gen_unit

SETTINGS = GeoSettings()
DESTINATION = (60.169412, 24.940183)


@pytest.fixture
def many_buildings(geo_region):
    """120 buildings spread over the demo region, with one to three listings each."""
    rng = random.Random(7)
    units = []
    for _ in range(120):
        prop = gen_property(
            lat=rng.uniform(geo_region.min_lat + 0.0005, geo_region.max_lat - 0.0005),
            lon=rng.uniform(geo_region.min_lon + 0.0005, geo_region.max_lon - 0.0005),
        )
        for _ in range(rng.randint(1, 3)):
            units.append(gen_unit(prop, rent_eur=rng.choice([900, 1200, 1500, 1800])))
    db.session.commit()
    return units


def _expected(units, mode, sort, max_minutes, page, per_page=12):
    homes = list(dict.fromkeys((u.property.lat, u.property.lon) for u in units))
    clear_cache()  # route every building afresh, not from what the search cached
    results = dict(zip(homes, commute_batch(homes, DESTINATION, mode, SETTINGS), strict=True))

    def commute(unit):
        return results[(unit.property.lat, unit.property.lon)]

    kept = [
        u for u in units if not max_minutes or (commute(u).ok and commute(u).minutes <= max_minutes)
    ]
    if sort == "commute":
        kept.sort(
            key=lambda u: (
                commute(u).minutes if commute(u).ok else float("inf"),
                u.rent_eur,
                u.id,
            )
        )
    else:
        kept.sort(key=lambda u: (u.rent_eur, u.id))
    start = (page - 1) * per_page
    return [u.id for u in kept[start : start + per_page]], len(kept)


@pytest.mark.parametrize("mode", ["walk", "bike", "drive", "transit"])
@pytest.mark.parametrize(
    ("sort", "max_minutes", "page"),
    [("commute", None, 1), ("commute", None, 3), ("commute", 8, 1), ("rent", 6, 2)],
)
def test_pruned_search_equals_routing_everything(many_buildings, mode, sort, max_minutes, page):
    """Same page and total as routing every building, for every mode, sort, limit and page."""
    filters = ListingFilters(commute_to=DESTINATION, mode=mode, sort=sort, max_minutes=max_minutes)
    found = search_listings(filters, page, 12, SETTINGS)
    expected = _expected(many_buildings, mode, sort, max_minutes, page)
    assert ([u.id for u in found.items], found.total) == expected
    assert all(found.commutes[u.id].mode == mode for u in found.items)


@pytest.mark.parametrize("mode", ["walk", "bike", "drive"])
def test_after_the_first_search_a_page_takes_at_most_two_routing_calls(
    many_buildings, mode, monkeypatch
):
    """The first search learns where every building meets the street (one call for all);
    later searches route only the buildings that can matter, in one or two calls."""
    calls = []
    real = OsrmBindingsEngine.matrix

    def counting(self, sources, targets, mode):
        calls.append(len(sources))
        return real(self, sources, targets, mode)

    monkeypatch.setattr(OsrmBindingsEngine, "matrix", counting)
    SNAPS.forget(_data_dir())  # as a fresh process: no building snapped yet
    clear_cache()
    filters = ListingFilters(commute_to=DESTINATION, mode=mode, sort="commute")
    assert search_listings(filters, 1, 12, SETTINGS).items
    assert 120 in calls  # every building, once
    calls.clear()
    elsewhere = ListingFilters(commute_to=(60.1655, 24.9505), mode=mode, sort="commute")
    clear_cache()
    assert search_listings(elsewhere, 1, 12, SETTINGS).items
    buildings_routed = [n for n in calls if n > 1]  # a one-point call snaps the destination
    assert 1 <= len(buildings_routed) <= 2
    assert sum(buildings_routed) < 120


def _data_dir():
    from portal.geo.regions import region_covering

    return region_covering(*DESTINATION).data_dir
