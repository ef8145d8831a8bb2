"""The public-transport estimate: walk, wait, ride, at most one transfer, walk."""

import pytest

from portal.geo.commute import commute_minutes
from portal.geo.distance import haversine_m
from portal.geo.routing import Leg
from portal.geo.settings import GeoSettings
from portal.geo.transit import DWELL_SECONDS, RIDE_CIRCUITY, RouteRelationEstimator

WALK = 5.0 / 3.6
HEADWAY = {"bus": 10, "tram": 6}
SPEED = {"bus": 18, "tram": 18}


class StraightLineWalker:
    """A stand-in engine: walking along straight lines, so expected times are easy to compute."""

    name = "straight"

    def matrix(self, sources, targets, mode):
        return [
            [Leg(haversine_m(*s, *t) / WALK, haversine_m(*s, *t)) for t in targets] for s in sources
        ]


def _east(lat: float, lon: float, metres: float) -> tuple[float, float]:
    return lat, lon + metres / 55_600  # one degree of longitude at 60° N ≈ 55.6 km


def test_a_ride_is_walk_wait_ride_walk():
    """Origin at the first stop, destination at the last: wait half the headway, ride, arrive."""
    stops = [_east(60.0, 24.0, d) for d in (0, 1000, 2000, 3000)]
    estimator = RouteRelationEstimator(
        [("bus", "1", [list(s) for s in stops])], StraightLineWalker(), HEADWAY, SPEED, 1200
    )
    leg = estimator.to_destination([stops[0]], stops[-1])[0]
    ride_m = sum(haversine_m(*a, *b) for a, b in zip(stops, stops[1:], strict=False))
    expected = 5 * 60 + ride_m * RIDE_CIRCUITY / (18 / 3.6) + 2 * DWELL_SECONDS
    assert leg.seconds == pytest.approx(expected, rel=0.01)
    assert leg.seconds < haversine_m(*stops[0], *stops[-1]) / WALK


def test_walking_wins_short_trips():
    """For a trip shorter than the wait, the estimate is simply the walk."""
    stops = [_east(60.0, 24.0, d) for d in (0, 1000)]
    estimator = RouteRelationEstimator(
        [("bus", "1", [list(s) for s in stops])], StraightLineWalker(), HEADWAY, SPEED
    )
    origin, destination = _east(60.0, 24.0, 100), _east(60.0, 24.0, 300)
    leg = estimator.to_destination([origin], destination)[0]
    assert leg.seconds == pytest.approx(haversine_m(*origin, *destination) / WALK, rel=0.01)


def test_one_transfer_between_nearby_stops():
    """Two lines whose stops are 100 m apart combine into one trip with a transfer."""
    line_a = [_east(60.0, 24.0, 0), _east(60.0, 24.0, 3000)]
    transfer = _east(60.0, 24.0, 3100)
    line_b = [transfer, _east(60.0, 24.0, 6000)]
    estimator = RouteRelationEstimator(
        [("tram", "A", [list(s) for s in line_a]), ("bus", "B", [list(s) for s in line_b])],
        StraightLineWalker(),
        HEADWAY,
        SPEED,
    )
    leg = estimator.to_destination([line_a[0]], line_b[-1])[0]
    ride = (3000 + 2900) * RIDE_CIRCUITY / (18 / 3.6)
    waits = 3 * 60 + 5 * 60
    walk_between = 100 * 1.3 / WALK
    assert leg.seconds == pytest.approx(ride + waits + walk_between, rel=0.02)


def test_two_transfers_are_not_used():
    """Three lines in a row would need two transfers, so no ride chain reaches: it walks."""
    a = [_east(60.0, 24.0, 0), _east(60.0, 24.0, 3000)]
    b = [_east(60.0, 24.0, 3000), _east(60.0, 24.0, 6000)]
    c = [_east(60.0, 24.0, 6000), _east(60.0, 24.0, 9000)]
    lines = [("bus", str(i), [list(s) for s in line]) for i, line in enumerate((a, b, c))]
    estimator = RouteRelationEstimator(lines, StraightLineWalker(), HEADWAY, SPEED)
    leg = estimator.to_destination([a[0]], c[-1])[0]
    # Two rides end 3 km from the destination, beyond the 1.2 km walking limit.
    assert leg.seconds == pytest.approx(haversine_m(*a[0], *c[-1]) / WALK, rel=0.01)


class CountingWalker(StraightLineWalker):
    def __init__(self):
        self.calls = []

    def matrix(self, sources, targets, mode):
        self.calls.append((len(sources), len(targets)))
        return super().matrix(sources, targets, mode)


def test_stops_to_destination_are_walked_once_per_destination():
    """A search asks for a few buildings, then more: the stops' walks to the destination and
    the rides from every stop are worked out once, and the answers do not change."""
    stops = [_east(60.0, 24.0, d) for d in (0, 1000, 2000, 3000)]
    walker = CountingWalker()
    estimator = RouteRelationEstimator(
        [("bus", "1", [list(s) for s in stops])], walker, HEADWAY, SPEED, 1200
    )
    homes = [_east(60.0, 24.0, d) for d in (10, 500, 1500)]
    first = estimator.to_destination(homes[:1], stops[-1])
    calls_after_first = len(walker.calls)
    again = estimator.to_destination(homes, stops[-1])
    # The second search walks only its homes: to the destination and to their nearby stops.
    assert len(walker.calls) - calls_after_first == 2
    assert again[0] == first[0]
    estimator.forget_destinations()
    estimator.to_destination(homes[:1], stops[-1])
    assert len(walker.calls) - calls_after_first == 4  # direct walk + stops to destination


def test_demo_transit_commute_is_labelled_an_estimate(geo_region):
    """Across central Helsinki public transport is an estimate, and never slower than walking."""
    settings = GeoSettings()
    home, work = (60.1650, 24.9375), (60.1775, 24.9500)
    transit = commute_minutes(home, work, "transit", settings)
    walk = commute_minutes(home, work, "walk", settings)
    assert transit.ok
    assert transit.estimate
    assert transit.engine == "osm-routes-estimate"
    assert transit.minutes <= walk.minutes
