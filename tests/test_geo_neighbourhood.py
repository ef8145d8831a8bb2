"""Neighbourhood facts: nearest places by walking time, counts, walkability and transit access."""

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.geo.neighbourhood_store import neighbourhood_of, refresh_all_neighbourhoods
from portal.geo.settings import GeoSettings
from portal.geo.walkability import DEFAULT_WEIGHTS, WalkabilityFormula
from portal.models import NeighbourhoodSummary, Property

SETTINGS = GeoSettings()


def test_weights_total_fifteen_like_the_published_method():
    """Category weights add up to 15 points, scaled to 100."""
    assert sum(sum(w) for w in DEFAULT_WEIGHTS.values()) == pytest.approx(15)


@pytest.mark.parametrize(
    ("minutes", "share"),
    [(0, 1.0), (5, 1.0), (7.5, 0.875), (10, 0.75), (20, 0.5), (30, 0.125), (31, 0.0)],
)
def test_distance_decay(minutes, share):
    """Full value up to 5 minutes' walk, decaying to nothing after 30."""
    assert WalkabilityFormula().decay_at(minutes) == pytest.approx(share)


def test_everything_at_the_door_scores_100_and_nothing_scores_0():
    """All weighted places within 5 minutes score 100; an empty map scores 0."""
    formula = WalkabilityFormula()
    everything = {c: [1.0] * 10 for group in formula.groups.values() for c in group}
    assert formula.score(everything, 300, 100)["score"] == 100
    assert formula.score({}, None, None)["score"] == 0


def test_sparse_streets_and_long_blocks_are_penalised():
    """Low intersection density and long blocks take off up to 5 % each."""
    formula = WalkabilityFormula()
    everything = {c: [1.0] * 10 for group in formula.groups.values() for c in group}
    result = formula.score(everything, 40, 400)
    assert result["penalties"] == {"intersection_density": 0.05, "block_length": 0.05}
    assert result["score"] == 90


def test_formula_is_configurable():
    """GEO_WALKABILITY overrides weights and limits; unknown keys are refused."""
    formula = WalkabilityFormula.from_overrides({"weights": {"grocery": [6]}, "max_penalty": 0})
    assert formula.weights["grocery"] == (6,)
    assert formula.total_weight == pytest.approx(18)
    with pytest.raises(ValueError, match="Unknown"):
        WalkabilityFormula.from_overrides({"walk_score": 1})


def test_demo_property_panel_has_named_places_and_scores(demo, geo_region):
    """A demo community gets named nearest places with walking minutes and high scores."""
    prop = db.session.scalar(sa.select(Property).where(Property.slug == "hopea-residences"))
    summary = neighbourhood_of(prop, SETTINGS)
    facts = summary.facts
    assert 80 <= summary.walkability <= 100
    assert facts["walkability"]["band"] in ("Walker's paradise", "Very walkable")
    assert summary.transit_access >= 70
    grocery = facts["categories"]["grocery"]["nearest"][0]
    assert grocery["name"]
    assert 1 <= grocery["minutes"] <= 10
    counts = facts["categories"]["restaurant"]["within"]
    assert counts["5"] <= counts["10"] <= counts["15"]
    assert counts["15"] > 50
    assert {r["mode"] for r in facts["transit"]["routes"]} >= {"tram", "subway"}
    assert facts["attribution"] == "© OpenStreetMap contributors"


def test_every_property_is_precomputed_and_refreshed_when_moved(demo, geo_region):
    """All properties get a summary; moving a building recomputes it on next read."""
    assert refresh_all_neighbourhoods(SETTINGS) == 7
    db.session.commit()
    prop = db.session.scalar(sa.select(Property).order_by(Property.id))
    before = neighbourhood_of(prop, SETTINGS).computed_at
    prop.lat += 0.001
    db.session.commit()
    summary = neighbourhood_of(prop, SETTINGS)
    assert summary.computed_at > before
    assert summary.origin_lat == prop.lat
    assert db.session.scalar(sa.select(sa.func.count(NeighbourhoodSummary.id))) == 7


def test_detail_page_shows_panel_map_and_internet(client, demo, geo_region):
    """The listing page has the neighbourhood panel, the offline map and the internet panel."""
    unit_id = client.get("/api/v1/listings").json["items"][0]["id"]
    html = client.get(f"/listings/{unit_id}").get_data(as_text=True)
    assert "The neighbourhood" in html
    assert "Walkability:" in html
    assert "min)" in html
    assert 'id="neighbourhood-map"' in html
    assert "vendor/leaflet-1.9.4/leaflet." in html  # a content-hashed name
    assert '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap contributors' in html
    assert 'id="internet-title"' in html
    layers = client.get(f"/listings/{unit_id}/map.json").json
    kinds = {f["properties"]["layer"] for f in layers["features"]}
    assert kinds == {"street", "place"}


def test_neighbourhood_api_and_listing_detail_json(client, demo, geo_region):
    """/api/v1/neighbourhood answers for a point; the listing detail JSON embeds the summary."""
    response = client.get("/api/v1/neighbourhood?lat=60.1694&lon=24.9402")
    assert response.status_code == 200
    assert response.json["walkability"]["score"] > 0
    unit_id = client.get("/api/v1/listings").json["items"][0]["id"]
    detail = client.get(f"/api/v1/listings/{unit_id}").json
    assert detail["neighbourhood"]["categories"]["cafe"]["nearest"]


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("lat=60.3&lon=24.9", 422, "outside_coverage"),
        ("lat=abc&lon=24.9", 400, "invalid_request"),
        ("lat=91&lon=24.9", 400, "invalid_request"),
        ("lat=nan&lon=24.9", 400, "invalid_request"),
        ("lon=24.9", 400, "invalid_request"),
    ],
)
def test_neighbourhood_api_rejects_bad_points(client, geo_region, query, status, code):
    """Bad or uncovered points get a clear JSON error, never a 500."""
    response = client.get(f"/api/v1/neighbourhood?{query}")
    assert response.status_code == status
    assert response.json["error"]["code"] == code


def test_each_category_list_opens_as_a_browsing_signal(client, demo, geo_region):
    """A category with several nearby places opens like a list and reports which one."""
    unit_id = client.get("/api/v1/listings").json["items"][0]["id"]
    html = client.get(f"/listings/{unit_id}").get_data(as_text=True)
    assert '<details data-signal-kind="category_expanded" data-signal-topic="restaurant">' in html


def test_without_imported_data_the_page_says_so(client, demo):
    """Before any import the detail page explains that there is no map data yet."""
    unit_id = client.get("/api/v1/listings").json["items"][0]["id"]
    html = client.get(f"/listings/{unit_id}").get_data(as_text=True)
    assert "no map data for this area" in html
