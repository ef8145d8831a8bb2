"""Several regions imported together; coverage is the street network's outline, not its box."""

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.geo.commute import commute_minutes
from portal.geo.geocoding import resolve_address
from portal.geo.importer import prepare_region, store_region
from portal.geo.regions import region_covering
from portal.geo.settings import GeoSettings
from portal.listings.services import ListingFilters, find_listings
from portal.models import GeoRegion
from tests.factories import gen_property, gen_unit
from tests.osm_files import street_grid, write_extract

SETTINGS = GeoSettings()


@pytest.fixture(scope="session")
def twin_prepared(tmp_path_factory):
    """A small made-up US town whose grid has its own Broad Street with a number 27."""
    tmp = tmp_path_factory.mktemp("twin")
    nodes, ways = street_grid(origin=(40.0, -75.0), size=4, step=0.002)
    ways[0] = (100, ways[0][1], {"highway": "residential", "name": "Broad Street"})
    for n, number in enumerate(("25", "27", "29")):
        lat, lon, _ = nodes[2 + n]
        nodes[900 + n] = (
            lat + 0.0001,
            lon,
            {
                "addr:street": "Broad Street",
                "addr:housenumber": number,
                "addr:city": "Springfield",
                "addr:country": "US",
                "shop": "bakery",
            },
        )
    path = write_extract(tmp / "springfield.osm.pbf", nodes, ways)
    return prepare_region(path, tmp / "geo", "springfield")


@pytest.fixture
def two_regions(app, cities_prepared, twin_prepared):
    bristol = store_region("bristol", cities_prepared["bristol"]).region
    roma = store_region("roma", cities_prepared["roma"]).region
    twin = store_region("springfield", twin_prepared).region
    db.session.commit()
    return {"bristol": bristol, "roma": roma, "springfield": twin}


def test_a_street_in_two_regions_is_ambiguous_with_each_city_named(two_regions):
    """ "27 Broad Street" exists in Bristol and Springfield: one candidate from each."""
    outcome = resolve_address("27 Broad Street", SETTINGS)
    assert outcome.status == "ambiguous"
    assert "Bristol" in outcome.message
    assert "Springfield" in outcome.message
    assert sorted(c.raw["region"] for c in outcome.candidates) == ["bristol", "springfield"]
    assert "27 Broad Street, Bristol BS1 2HG" in [c.address for c in outcome.candidates]


@pytest.mark.parametrize(
    ("query", "region"),
    [
        ("27 Broad Street, Bristol", "bristol"),
        ("Broad Street 27, BS1 2HG", "bristol"),
        ("27 Broad St Springfield", "springfield"),
        ("Broad Street 27, Springfield", "springfield"),
    ],
)
def test_city_or_postcode_breaks_the_tie(two_regions, query, region):
    """The city or postcode in the query picks the region."""
    outcome = resolve_address(query, SETTINGS)
    assert outcome.found, outcome.message
    assert outcome.location.raw["region"] == region
    assert region_covering(*outcome.point).name == region


def test_outside_every_region_names_the_regions_we_cover(two_regions):
    """A point in no region is outside coverage, and the message says which areas we cover."""
    outcome = resolve_address("60.17, 24.94", SETTINGS)
    assert outcome.status == "outside_coverage"
    assert "Bristol" in outcome.message
    assert "Roma" in outcome.message


def test_listings_commute_and_neighbourhood_work_in_each_region(client, two_regions):
    """Homes in Bristol and Rome: each region routes its own trips; the other is outside."""
    in_bristol = gen_property(slug="bristol-home", lat=51.4545, lon=-2.5925, city="Bristol")
    in_rome = gen_property(slug="rome-home", lat=41.9060, lon=12.5010, city="Roma")
    bristol_unit, rome_unit = gen_unit(in_bristol), gen_unit(in_rome)
    db.session.commit()
    for home, address, region in (
        (in_bristol, "27 Broad Street, Bristol", "bristol"),
        (in_rome, "Via Gaeta 23", "roma"),
    ):
        outcome = resolve_address(address, SETTINGS)
        assert outcome.found
        trip = commute_minutes((home.lat, home.lon), outcome.point, "walk", SETTINGS)
        assert trip.ok
        assert 0 < trip.minutes < 30
        facts = client.get(f"/api/v1/neighbourhood?lat={home.lat}&lon={home.lon}").json
        assert facts["region"] == two_regions[region].name
    page, _ = find_listings(ListingFilters(sort="commute"), "Via Gaeta 23", 1, 12, SETTINGS)
    assert [u.id for u in page.items] == [rome_unit.id, bristol_unit.id]
    assert page.commutes[rome_unit.id].ok
    assert page.commutes[bristol_unit.id].status == "outside_coverage"
    api = client.get("/api/v1/listings?sort=commute&commute_to=27+Broad+St,+Bristol").json
    assert api["items"][0]["id"] == bristol_unit.id
    assert api["items"][0]["commute"]["status"] == "ok"
    html = client.get("/listings/?sort=commute&commute_to=Via+Gaeta+23")
    assert html.status_code == 200


def test_a_region_re_imported_keeps_the_others(app, two_regions, cities_prepared):
    """Importing one region again replaces its rows only."""
    store_region("bristol", cities_prepared["bristol"])
    db.session.commit()
    names = set(db.session.scalars(sa.select(GeoRegion.name)))
    assert names == {"bristol", "roma", "springfield"}
    assert resolve_address("Via Gaeta 23", SETTINGS).found


@pytest.fixture
def l_shaped(app, tmp_path):
    """Streets along the south and west edges of a 2 km square, and a shop in its far corner."""
    nodes = {
        1: (60.50, 25.00, {}),
        2: (60.50, 25.04, {}),
        3: (60.518, 25.00, {}),
        4: (60.518, 25.04, {"shop": "kiosk", "name": "Far corner"}),
    }
    ways = [
        (10, [1, 2], {"highway": "residential", "name": "Etelätie"}),
        (11, [1, 3], {"highway": "residential", "name": "Länsitie"}),
    ]
    path = write_extract(tmp_path / "l.osm.pbf", nodes, ways)
    region = store_region("lshape", prepare_region(path, tmp_path / "geo", "lshape")).region
    db.session.commit()
    return region


def test_a_point_in_the_box_but_off_the_network_is_outside(l_shaped):
    """The far corner is inside the bounding box, 1.4 km from any street: not covered."""
    assert l_shaped.min_lat <= 60.517 <= l_shaped.max_lat
    assert not l_shaped.covers(60.517, 25.039)
    assert region_covering(60.517, 25.039) is None
    assert resolve_address("60.517, 25.039", SETTINGS).status == "outside_coverage"
    assert l_shaped.covers(60.501, 25.02)  # 100 m from the southern street
    assert l_shaped.covers(60.51, 25.001)  # beside the western street


def test_cli_imports_a_city_next_to_the_others(app, runner, tmp_path, geo_region):
    """`flask geo import` of a city extract adds a region, reading its country and city."""
    from tests.imported_regions import CITY_DATA

    app.config["GEO_DATA_DIR"] = str(tmp_path / "geo")
    pbf = f"{CITY_DATA}/via_montebello_roma_italy.osm.pbf"
    result = runner.invoke(args=["geo", "import", pbf, "--name", "roma"])
    assert result.exit_code == 0, result.output
    assert "Region 'roma' (Roma, IT)" in result.output
    assert set(db.session.scalars(sa.select(GeoRegion.name))) == {"helsinki", "roma"}
    assert resolve_address("Via Gaeta 23", SETTINGS).found
    assert resolve_address("Mannerheimintie 5", SETTINGS).found
    override = runner.invoke(
        args=["geo", "import", pbf, "--name", "roma", "--address-order", "number_first"]
    )
    assert override.exit_code == 0, override.output
    assert resolve_address("Via Gaeta 23", SETTINGS).location.address == "23 Via Gaeta, Roma"
    bad = runner.invoke(args=["geo", "import", pbf, "--name", "roma", "--country", "ITA"])
    assert bad.exit_code != 0
    assert "two-letter" in bad.output
