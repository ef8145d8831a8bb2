"""Travel times from OSRM on the demo street network, checked against hand-measured pairs."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from portal.geo.commute import commute_minutes
from portal.geo.distance import haversine_m
from portal.geo.routing import WALK_SPEED_MPS, OsrmBindingsEngine, OsrmHttpEngine
from portal.geo.settings import GeoSettings

MANNERHEIMINTIE_5 = (60.169412, 24.940183)
HOPEA_RESIDENCES = (60.167437, 24.936603)  # Annankatu 25
# Kaisaniemenkatu (way 17000361) is one-way from its north end to its south end.
KAISANIEMENKATU_NORTH = (60.17401, 24.9496293)
KAISANIEMENKATU_SOUTH = (60.1731225, 24.9488575)
SETTINGS = GeoSettings()


@pytest.fixture
def engine(geo_region):
    return OsrmBindingsEngine(geo_region.data_dir)


def test_walking_time_is_network_distance_at_walking_speed(engine):
    """Annankatu 25 → Mannerheimintie 5: about 420 m on foot, at 5 km/h."""
    leg = engine.matrix([HOPEA_RESIDENCES], [MANNERHEIMINTIE_5], "walk")[0][0]
    straight = haversine_m(*HOPEA_RESIDENCES, *MANNERHEIMINTIE_5)
    assert leg.metres == pytest.approx(420, rel=0.1)
    assert straight < leg.metres < 1.8 * straight
    assert leg.seconds == pytest.approx(leg.metres / WALK_SPEED_MPS, rel=0.05)


def test_walking_is_symmetric_but_driving_respects_one_way_streets(engine):
    """Along a one-way street a car must go round the block the wrong way; a walker need not."""
    north, south = KAISANIEMENKATU_NORTH, KAISANIEMENKATU_SOUTH
    walk_down = engine.matrix([north], [south], "walk")[0][0]
    walk_up = engine.matrix([south], [north], "walk")[0][0]
    assert walk_down.metres == pytest.approx(walk_up.metres, rel=0.1)
    drive_down = engine.matrix([north], [south], "drive")[0][0]
    drive_up = engine.matrix([south], [north], "drive")[0][0]
    assert drive_down.metres == pytest.approx(110, rel=0.15)
    assert drive_up.metres > 5 * drive_down.metres


def test_unreachable_pair_is_reported(geo_region):
    """Leaving a one-way street that ends at the cut edge of the extract has no route by car."""
    result = commute_minutes((60.1791074, 24.9506201), (60.1783187, 24.9505662), "drive", SETTINGS)
    assert result.status == "unreachable"
    assert result.minutes is None


def test_one_to_many_matrix_snaps_every_point(engine):
    """One origin to many homes in one call; every point snaps to the street network."""
    homes = [(60.1650 + i * 0.001, 24.9380 + i * 0.001) for i in range(10)]
    legs = engine.matrix(homes, [MANNERHEIMINTIE_5], "bike")
    assert len(legs) == 10
    assert all(row[0].reachable and row[0].seconds > 0 for row in legs)


def test_commute_minutes_names_engine_and_marks_nothing_estimated(geo_region):
    """Walk, bike and drive come from OSRM and are not labelled estimates."""
    for mode in ("walk", "bike", "drive"):
        result = commute_minutes(HOPEA_RESIDENCES, MANNERHEIMINTIE_5, mode, SETTINGS)
        assert result.ok
        assert result.engine == "osrm"
        assert not result.estimate
    walk = commute_minutes(HOPEA_RESIDENCES, MANNERHEIMINTIE_5, "walk", SETTINGS)
    bike = commute_minutes(HOPEA_RESIDENCES, MANNERHEIMINTIE_5, "bike", SETTINGS)
    assert bike.minutes <= walk.minutes


def test_outside_coverage_is_never_routed(geo_region):
    """A home outside the region gets outside_coverage, not a trip to the nearest road."""
    result = commute_minutes((60.25, 24.90), MANNERHEIMINTIE_5, "walk", SETTINGS)
    assert result.status == "outside_coverage"


class _FakeOsrmRouted(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802  (http.server's hook name)
        self.server.paths.append(self.path)
        body = {
            "code": "Ok",
            "durations": [[600.0]],
            "distances": [[800.0]],
            "sources": [{"distance": 0.0}],
            "destinations": [{"distance": 0.0}],
        }
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def test_osrm_http_engine_asks_osrm_routed_for_a_table():
    """At scale the same matrix comes from an osrm-routed server (here a stub on loopback)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeOsrmRouted)
    server.paths = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        leg = OsrmHttpEngine({"walk": url}).matrix([(60.0, 24.0)], [(60.1, 24.1)], "walk")[0][0]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert (leg.seconds, leg.metres) == (600.0, 800.0)
    assert server.paths[0].startswith("/table/v1/foot/24.000000,60.000000;24.100000,60.100000?")
    assert "sources=0" in server.paths[0]
