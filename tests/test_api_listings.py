"""The JSON API: /api/v1/listings and its OpenAPI document."""

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from portal.api.spec import openapi_document
from tests.html import listed_ids


@pytest.fixture(scope="module")
def spec():
    return openapi_document()


def _validator(spec, schema_name: str) -> Draft202012Validator:
    root = {"components": spec["components"]}
    registry = Registry().with_resource("urn:spec", DRAFT202012.create_resource(root))
    schema = {"$ref": f"urn:spec#/components/schemas/{schema_name}"}
    return Draft202012Validator(schema, registry=registry)


def _response_schema(spec, path: str, status: str) -> str:
    ref = spec["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]
    return ref["$ref"].rsplit("/", 1)[1]


def test_openapi_document_is_valid(client):
    """The served document is a valid OpenAPI 3.1 description."""
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    validate_spec(response.json)


def test_listings_match_the_document(client, demo, spec):
    """A page of listings validates against the documented ListingPage schema."""
    response = client.get("/api/v1/listings?bedrooms=1&max_rent=3000")
    assert response.status_code == 200
    _validator(spec, _response_schema(spec, "/listings", "200")).validate(response.json)
    assert response.json["total"] > 0
    assert all(
        item["bedrooms"] >= 1 and item["rent_eur"] <= 3000 for item in response.json["items"]
    )


def test_listing_detail_matches_the_document(client, demo, spec):
    """One listing, with media and internet service, validates against ListingDetail."""
    first_id = client.get("/api/v1/listings").json["items"][0]["id"]
    response = client.get(f"/api/v1/listings/{first_id}")
    assert response.status_code == 200
    _validator(spec, _response_schema(spec, "/listings/{id}", "200")).validate(response.json)
    assert response.json["property"]["internet"]
    assert {m["kind"] for m in response.json["media"]} >= {"photo", "floor_plan", "window_view"}


def test_page_and_api_agree(client, demo):
    """One source of truth: the API lists the same homes as the page, in the same order."""
    api_ids = [item["id"] for item in client.get("/api/v1/listings?max_rent=1500").json["items"]]
    page_ids = listed_ids(client.get("/listings/?max_rent=1500").get_data(as_text=True))
    assert api_ids == page_ids


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("max_rent=abc", "max_rent"),
        ("max_rent=-1", "max_rent"),
        ("max_rent=1000000000", "max_rent"),
        ("available_by=tomorrow", "available_by"),
        ("bedrooms=9", "bedrooms"),
        ("page=-2", "page"),
    ],
)
def test_bad_filter_is_400_naming_the_field(client, spec, query, field):
    """Bad filters answer 400 in the documented error shape, naming the field."""
    response = client.get(f"/api/v1/listings?{query}")
    assert response.status_code == 400
    _validator(spec, _response_schema(spec, "/listings", "400")).validate(response.json)
    assert field in response.json["error"]["fields"]


def test_unknown_listing_is_json_404(client, spec):
    """An unknown id answers 404 in the documented error shape."""
    response = client.get("/api/v1/listings/424242")
    assert response.status_code == 404
    _validator(spec, _response_schema(spec, "/listings/{id}", "404")).validate(response.json)


@pytest.mark.parametrize("per_page", [1, 5, 100])
def test_per_page_sets_the_page_size(client, demo, spec, per_page):
    """per_page (1-100) sizes the page; the answer still matches the document."""
    body = client.get(f"/api/v1/listings?per_page={per_page}").json
    assert body["per_page"] == per_page
    assert len(body["items"]) == min(per_page, body["total"])
    assert body["pages"] == -(-body["total"] // per_page)
    assert not list(_validator(spec, "ListingPage").iter_errors(body))


def test_per_page_defaults_to_twelve(client, demo):
    """Without per_page a page holds 12 listings, as before."""
    assert client.get("/api/v1/listings").json["per_page"] == 12


@pytest.mark.parametrize("value", ["0", "101", "-3", "abc", "99999999999999999999", "1.5"])
def test_per_page_outside_the_range_is_400_naming_it(client, spec, value):
    """A per_page outside 1-100 (or not a number) answers 400 with the field named."""
    response = client.get(f"/api/v1/listings?per_page={value}")
    assert response.status_code == 400
    assert "per_page" in response.json["error"]["fields"]
    assert not list(_validator(spec, "Error").iter_errors(response.json))


def test_per_page_is_in_the_document(spec):
    """The OpenAPI document describes per_page with its bounds and default (or sent empty)."""
    params = {p["name"]: p for p in spec["paths"]["/listings"]["get"]["parameters"]}
    number, empty = params["per_page"]["schema"]["anyOf"]
    assert empty == {"type": "string", "maxLength": 0}
    assert number == {
        "type": "integer",
        "minimum": 1,
        "maximum": 100,
        "default": 12,
    }
