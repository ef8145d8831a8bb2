"""`flask geo import`: places, addresses, routes and routing data from an OSM extract."""

import sqlalchemy as sa

from portal.extensions import db
from portal.geo.importer import prepare_region, store_region
from portal.models import GeoAddress, GeoPlace, GeoRegion, TransitRoute
from tests.factories import gen_property
from tests.osm_files import street_grid, write_extract

DEMO_COUNTS = {
    "bar": 73,
    "cafe": 89,
    "convenience": 9,
    "entertainment": 28,
    "errands": 39,
    "fitness": 8,
    "grocery": 12,
    "health": 17,
    "library": 16,
    "park": 23,
    "parking": 43,
    "restaurant": 269,
    "school": 10,
    "sharing": 17,
    "shopping": 111,
    "transit": 105,
}


def _count_by_category(region_id: int) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(GeoPlace.category, sa.func.count())
        .where(GeoPlace.region_id == region_id)
        .group_by(GeoPlace.category)
    )
    return dict(sorted(rows.all()))


def test_demo_place_counts_per_category_are_stable(geo_region):
    """The demo extract yields the same number of places in every category."""
    assert _count_by_category(geo_region.id) == DEMO_COUNTS
    assert geo_region.stats["by_category"] == DEMO_COUNTS


def test_parks_mapped_as_areas_are_found(geo_region):
    """Parks mapped as closed ways and as multipolygon relations become places at their centre."""
    parks = {
        (p.osm_type, p.name): p
        for p in db.session.scalars(sa.select(GeoPlace).where(GeoPlace.category == "park"))
    }
    assert ("way", "Esplanadinpuisto") in parks
    kaisaniemi = parks[("relation", "Kaisaniemen puisto")]
    assert 60.170 < kaisaniemi.lat < 60.177
    assert 24.940 < kaisaniemi.lon < 24.950


def test_transit_features_of_one_stop_are_merged(geo_region):
    """Platforms, poles and stop positions of one stop become one transit place."""
    rautatientori = db.session.scalars(
        sa.select(GeoPlace).where(GeoPlace.category == "transit", GeoPlace.name == "Rautatientori")
    ).all()
    assert 1 <= len(rautatientori) <= 3  # the tram, bus and metro stops of the square
    assert DEMO_COUNTS["transit"] < 245  # raw transit features in the file


def test_gazetteer_and_routes_are_stored(geo_region):
    """Every addr:street + addr:housenumber and every transit route relation is stored."""
    assert db.session.scalar(sa.select(sa.func.count(GeoAddress.id))) == 1451
    modes = set(db.session.scalars(sa.select(TransitRoute.mode)))
    assert modes == {"bus", "tram", "subway", "train"}
    assert geo_region.covers(60.1694, 24.9402)
    assert not geo_region.covers(60.2, 24.9)


def test_cli_import_then_corrupt_file_keeps_previous_data(app, runner, tmp_path):
    """A corrupt file fails with a clear message and the imported region stays as it was."""
    app.config["GEO_DATA_DIR"] = str(tmp_path / "geo")
    nodes, ways = street_grid()
    good = write_extract(tmp_path / "grid.osm.pbf", nodes, ways)
    result = runner.invoke(args=["geo", "import", str(good), "--name", "grid"])
    assert result.exit_code == 0, result.output
    region = db.session.scalar(sa.select(GeoRegion).where(GeoRegion.name == "grid"))
    before = (region.data_dir, region.imported_at)

    bad = tmp_path / "broken.osm.pbf"
    bad.write_bytes(b"this is not a protocol buffer" * 10)
    result = runner.invoke(args=["geo", "import", str(bad), "--name", "grid"])
    assert result.exit_code != 0
    assert "not a readable OSM extract" in result.output
    assert "previous data of 'grid' is unchanged" in result.output
    db.session.expire_all()
    region = db.session.scalar(sa.select(GeoRegion).where(GeoRegion.name == "grid"))
    assert (region.data_dir, region.imported_at) == before
    assert sorted(p.name for p in (tmp_path / "geo" / "grid").iterdir()) == [
        before[0].rsplit("/", 1)[1]
    ]


def test_reimport_swaps_in_new_data_and_removes_the_old_directory(app, runner, tmp_path):
    """Importing a region again replaces its rows and routing files in one step."""
    app.config["GEO_DATA_DIR"] = str(tmp_path / "geo")
    nodes, ways = street_grid()
    nodes[50] = (60.2005, 24.8005, {"amenity": "cafe", "name": "Kahvila"})
    path = write_extract(tmp_path / "grid.osm.pbf", nodes, ways)
    assert runner.invoke(args=["geo", "import", str(path), "--name", "grid"]).exit_code == 0
    first = db.session.scalar(sa.select(GeoRegion.data_dir).where(GeoRegion.name == "grid"))
    assert runner.invoke(args=["geo", "import", str(path), "--name", "grid"]).exit_code == 0
    db.session.expire_all()
    second = db.session.scalar(sa.select(GeoRegion.data_dir).where(GeoRegion.name == "grid"))
    assert second != first
    assert not (tmp_path / "geo" / "grid" / first.rsplit("/", 1)[1]).exists()
    assert db.session.scalar(sa.select(sa.func.count(GeoPlace.id))) == 1


def test_cut_extract_with_missing_nodes_imports(app, tmp_path):
    """Ways that reference nodes outside the file keep their surviving part."""
    nodes, ways = street_grid()
    ways.append((300, [1, 999_999, 2], {"highway": "residential"}))  # 999999 was cut away
    ways.append((301, [5, 999_998, 5], {"leisure": "park", "name": "Half a park"}))
    path = write_extract(tmp_path / "cut.osm.pbf", nodes, ways)
    prepared = prepare_region(path, tmp_path / "geo", "cut")
    store_region("cut", prepared)
    db.session.commit()
    park = db.session.scalar(sa.select(GeoPlace).where(GeoPlace.name == "Half a park"))
    assert park is not None
    assert park.category == "park"


def test_extract_without_places_scores_zero(app, runner, tmp_path):
    """An extract with streets but no places imports, and a home there scores 0, not an error."""
    app.config["GEO_DATA_DIR"] = str(tmp_path / "geo")
    nodes, ways = street_grid()
    path = write_extract(tmp_path / "empty.osm.pbf", nodes, ways)
    prop = gen_property(lat=60.201, lon=24.802)
    db.session.commit()
    result = runner.invoke(args=["geo", "import", str(path), "--name", "empty"])
    assert result.exit_code == 0, result.output
    assert "0 places" in result.output
    from portal.models import NeighbourhoodSummary

    summary = db.session.scalar(
        sa.select(NeighbourhoodSummary).where(NeighbourhoodSummary.property_id == prop.id)
    )
    assert summary.walkability == 0
    assert summary.transit_access == 0
    assert all(not c["nearest"] for c in summary.facts["categories"].values())


def test_missing_file_and_bad_region_name_are_refused(runner, tmp_path):
    """Clear errors for a file that is not there and a region name we cannot use."""
    result = runner.invoke(args=["geo", "import", str(tmp_path / "nope.osm.pbf")])
    assert result.exit_code != 0
    assert "missing or empty" in result.output
    nodes, ways = street_grid()
    path = write_extract(tmp_path / "grid.osm.pbf", nodes, ways)
    result = runner.invoke(args=["geo", "import", str(path), "--name", "../etc"])
    assert result.exit_code != 0
    assert "region name" in result.output
