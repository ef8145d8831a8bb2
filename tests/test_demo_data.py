"""The demo city: fictional communities at real addresses from the shipped OSM extract."""

from datetime import date
from pathlib import Path

import osmium
import pytest
import sqlalchemy as sa
from geopy.distance import geodesic

from portal.demo.loader import COMMUNITIES_FILE, read_communities
from portal.extensions import db
from portal.models import Media, Property, StaffUser, Unit

DEMO_PBF = COMMUNITIES_FILE.parent / "helsinki.osm.pbf"


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


class _Addresses(osmium.SimpleHandler):
    """Every (street, housenumber) in the extract with the points it is mapped at."""

    def __init__(self):
        super().__init__()
        self.points: dict[tuple[str, str], list[tuple[float, float]]] = {}

    def _add(self, tags, lat, lon):
        key = (tags.get("addr:street"), tags.get("addr:housenumber"))
        if all(key):
            self.points.setdefault(key, []).append((lat, lon))

    def node(self, n):
        self._add(n.tags, n.location.lat, n.location.lon)

    def area(self, a):
        if "addr:street" not in a.tags:
            return
        ring = next(iter(a.outer_rings()), None)
        if ring is None:
            return
        pts = [(p.lat, p.lon) for p in ring]
        self._add(a.tags, sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))


@pytest.fixture(scope="module")
def osm_addresses():
    handler = _Addresses()
    handler.apply_file(str(DEMO_PBF), locations=True)
    return handler.points


def test_extract_ships_with_its_licence():
    """The project stands alone: the extract and its ODbL attribution are in the repo."""
    notice = (DEMO_PBF.parent / "NOTICE.md").read_text()
    assert DEMO_PBF.stat().st_size > 600_000
    assert "© OpenStreetMap contributors" in notice
    assert "ODbL" in notice


@pytest.mark.parametrize("spec", read_communities(), ids=lambda s: s["slug"])
def test_every_demo_address_is_real(osm_addresses, spec):
    """Each community sits at an address mapped in the extract, within 50 m of it."""
    points = osm_addresses.get((spec["street"], spec["housenumber"]))
    assert points, f"{spec['street']} {spec['housenumber']} is not in the extract"
    nearest = min(geodesic((spec["lat"], spec["lon"]), p).meters for p in points)
    assert nearest < 50


def test_demo_has_enough_communities_and_units(demo):
    """At least 6 communities and 40 units, with staff in every role."""
    assert _count(Property) >= 6
    assert _count(Unit) >= 40
    roles = set(db.session.scalars(sa.select(StaffUser.role)))
    assert roles == {"agent", "marketer", "admin"}


def test_demo_load_is_idempotent(demo):
    """Loading the demo a second time adds nothing."""
    from portal.demo.loader import load_demo

    before = (_count(Property), _count(Unit), _count(Media), _count(StaffUser))
    report = load_demo(date(2026, 11, 23))
    db.session.commit()
    assert not report.added_anything
    assert (_count(Property), _count(Unit), _count(Media), _count(StaffUser)) == before


def test_demo_rents_are_realistic(demo):
    """Central Helsinki rents: roughly €25–45 per m² a month, never below €600."""
    for unit in db.session.scalars(sa.select(Unit)):
        per_m2 = unit.rent_eur / float(unit.area_m2)
        assert 25 <= per_m2 <= 45, unit
        assert unit.rent_eur >= 600


def test_demo_units_have_photos_plan_and_located_window_view(demo):
    """Every unit shows photos, a floor plan and a window view from a named room and floor."""
    for unit in db.session.scalars(sa.select(Unit)):
        kinds = {m.kind for m in unit.media}
        assert {"photo", "floor_plan", "window_view"} <= kinds
        view = unit.media_of("window_view")[0]
        assert view.room
        assert view.floor == unit.floor
        assert Path("portal/static", view.url).exists()


def test_demo_staff_passwords_are_random(demo):
    """No default password: each account gets its own random one, returned once."""
    passwords = list(demo.staff.values())
    assert len(set(passwords)) == 3
    assert all(len(p) >= 12 for p in passwords)
    user = db.session.scalar(sa.select(StaffUser).where(StaffUser.role == "agent"))
    assert user.check_password(demo.staff[user.email])


def test_cli_loads_only_into_an_empty_database(runner, demo):
    """`flask demo load --if-empty` leaves a database with communities alone."""
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0
    assert "nothing loaded" in result.output
