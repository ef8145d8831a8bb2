"""Commute search skips buildings by lower bounds, so a bound must never beat a routed trip."""

import random

import pytest

from portal.geo.commute import clear_cache, commute_batch, lower_bound_seconds, snap_metres
from portal.geo.regions import routing_engine, transit_estimator
from portal.geo.routing import SNAPS
from portal.geo.settings import GeoSettings

SETTINGS = GeoSettings()


def _points(region, n, rng):
    return [
        (rng.uniform(region.min_lat, region.max_lat), rng.uniform(region.min_lon, region.max_lon))
        for _ in range(n)
    ]


@pytest.mark.parametrize("mode", ["walk", "bike", "drive", "transit"])
def test_bounds_never_exceed_routed_trips(geo_region, mode):
    """Over random homes and destinations in the demo region, whether or not the engine
    has seen the homes before (their walk to the street then counts towards the bound)."""
    rng = random.Random(mode)
    homes = _points(geo_region, 60, rng)
    wait = getattr(transit_estimator(geo_region, SETTINGS), "shortest_wait_seconds", 0.0)
    checked = 0
    for destination in _points(geo_region, 6, rng):
        clear_cache()
        before, destination_m = snap_metres(homes, destination, mode, SETTINGS, geo_region)
        legs = _legs(geo_region, homes, destination, mode)
        after, _ = snap_metres(homes, destination, mode, SETTINGS, geo_region)
        assert any(after)  # routing taught the engine where the homes meet the street
        for home, leg, known_before, known_after in zip(homes, legs, before, after, strict=True):
            if not leg.reachable:
                continue
            for snapped in (known_before or 0.0, known_after):
                bound = lower_bound_seconds(home, destination, mode, wait, snapped + destination_m)
                assert bound <= leg.seconds + 1e-6, (home, destination, bound, leg)
            checked += 1
    assert checked > 200


def _legs(region, homes, destination, mode):
    """Exact door-to-door seconds, before they are rounded to minutes."""
    if mode == "transit":
        return transit_estimator(region, SETTINGS).to_destination(homes, destination)
    rows = routing_engine(region, SETTINGS).matrix(homes, [destination], mode)
    return [row[0] for row in rows]


def test_snapping_is_remembered_per_network_and_mode(geo_region):
    """What one routing call learns about where a point meets the street serves later bounds."""
    rng = random.Random(5)
    homes = _points(geo_region, 5, rng)
    destination = _points(geo_region, 1, rng)[0]
    SNAPS.forget(geo_region.data_dir)
    unknown, _ = snap_metres(homes, destination, "bike", SETTINGS, geo_region)
    assert unknown == [None] * 5
    commute_batch(homes, destination, "bike", SETTINGS, geo_region)
    known, _ = snap_metres(homes, destination, "bike", SETTINGS, geo_region)
    assert all(m >= 0 for m in known)
    assert any(m > 0 for m in known)
    on_foot, _ = snap_metres(homes, destination, "walk", SETTINGS, geo_region)
    assert on_foot == [None] * 5  # each mode has its own network: not walked there yet
