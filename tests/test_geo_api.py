"""/api/v1/geocode and /api/v1/commute, validated against the OpenAPI document."""

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from portal.api.spec import openapi_document


@pytest.fixture(scope="module")
def spec():
    return openapi_document()


def _validate(spec, path: str, status: str, body: dict) -> None:
    schema = spec["paths"][path]["get"]["responses"][status]["content"]["application/json"]
    root = {"components": spec["components"]}
    registry = Registry().with_resource("urn:spec", DRAFT202012.create_resource(root))
    ref = schema["schema"].get("$ref")
    target = {"$ref": "urn:spec" + ref} if ref else schema["schema"]
    if not ref:
        target = {"$defs": {}, **_relink(schema["schema"])}
    Draft202012Validator(target, registry=registry).validate(body)


def _relink(node):
    if isinstance(node, dict):
        return {
            k: ("urn:spec" + v if k == "$ref" and v.startswith("#/") else _relink(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_relink(v) for v in node]
    return node


def test_geocode_finds_an_address(client, geo_region, spec):
    """?q=Mannerheimintie 5 returns the building's coordinates."""
    response = client.get("/api/v1/geocode?q=Mannerheimintie 5")
    assert response.status_code == 200
    _validate(spec, "/geocode", "200", response.json)
    assert response.json["result"]["match"] == "exact"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Olematonkatu 3", "unknown_address"),
        ("Aleksanterinkatu", "ambiguous_address"),
        ("60.3,24.9", "outside_coverage"),
        ("Mannerheimintie 999", "unknown_address"),
    ],
)
def test_geocode_errors_carry_candidates(client, geo_region, spec, query, code):
    """Unknown, ambiguous and uncovered addresses are 422 with the best candidates."""
    response = client.get(f"/api/v1/geocode?q={query}")
    assert response.status_code == 422
    _validate(spec, "/geocode", "422", response.json)
    assert response.json["error"]["code"] == code


def test_geocode_needs_a_query(client, geo_region):
    """An empty query is a 400, not a 500."""
    assert client.get("/api/v1/geocode").status_code == 400
    assert client.get("/api/v1/geocode?q=" + "x" * 300).status_code == 400


@pytest.mark.parametrize("mode", ["walk", "bike", "drive", "transit"])
def test_commute_answers_every_mode(client, geo_region, spec, mode):
    """Minutes, metres, engine and the estimate flag for each mode."""
    response = client.get(
        f"/api/v1/commute?from=60.167437,24.936603&to=Mannerheimintie 5&mode={mode}"
    )
    assert response.status_code == 200
    _validate(spec, "/commute", "200", response.json)
    body = response.json
    assert body["reachable"]
    assert 1 <= body["minutes"] <= 20
    assert body["estimate"] is (mode == "transit")


def test_commute_reports_unreachable(client, geo_region):
    """A pair with no route by car is reachable: false, with a message."""
    response = client.get(
        "/api/v1/commute?from=60.1791074,24.9506201&to=60.1783187,24.9505662&mode=drive"
    )
    assert response.status_code == 200
    assert response.json["reachable"] is False
    assert response.json["minutes"] is None
    assert "no route" in response.json["message"]


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("to=Mannerheimintie 5", 400, "invalid_request"),
        ("from=abc&to=Mannerheimintie 5", 400, "invalid_request"),
        ("from=60.1674,24.9366&to=Mannerheimintie 5&mode=boat", 400, "invalid_request"),
        ("from=60.1674,24.9366", 400, "invalid_request"),
        ("from=60.30,24.90&to=Mannerheimintie 5", 422, "outside_coverage"),
        ("from=60.1674,24.9366&to=60.30,24.90", 422, "outside_coverage"),
        ("from=60.1674,24.9366&to=Olematonkatu 3", 422, "unknown_address"),
    ],
)
def test_commute_validates_its_parameters(client, geo_region, query, status, code):
    """Bad or uncovered places are clear JSON errors."""
    response = client.get(f"/api/v1/commute?{query}")
    assert response.status_code == status
    assert response.json["error"]["code"] == code


def test_listings_with_commute_match_the_document(client, demo, geo_region, spec):
    """A commute-sorted page of listings validates against ListingPage."""
    response = client.get("/api/v1/listings?commute_to=Mannerheimintie 5&sort=commute&mode=bike")
    assert response.status_code == 200
    _validate(spec, "/listings", "200", response.json)
    assert all(item["commute"]["mode"] == "bike" for item in response.json["items"])
