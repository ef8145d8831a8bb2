"""The tours API: slots, booking, manage by token; every answer matches the OpenAPI document."""

from datetime import time

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from portal.api.spec import openapi_document
from portal.extensions import db
from tests.factories import gen_agent, gen_tour_type, gen_unit
from tests.tours_helpers import emails, iso, local_slot, tours


@pytest.fixture(scope="module")
def spec():
    return openapi_document()


def _check(spec, schema: str, body) -> None:
    root = {"components": spec["components"]}
    registry = Registry().with_resource("urn:spec", DRAFT202012.create_resource(root))
    Draft202012Validator(
        {"$ref": f"urn:spec#/components/schemas/{schema}"}, registry=registry
    ).validate(body)


@pytest.fixture
def listing(app):
    unit = gen_unit()
    gen_tour_type(unit.property, "guided")
    gen_tour_type(unit.property, "self_guided", capacity=2)
    gen_agent(unit.property)
    db.session.commit()
    return unit


def _booking(listing, start, **fields) -> dict:
    body = {
        "listing_id": listing.id,
        "type": "guided",
        "start": iso(start),
        "name": "Pia",
        "email": "pia@example.com",
    }
    body.update(fields)
    return body


def test_slots_are_local_with_utc_alongside(client, spec, listing):
    start = local_slot(2, time(10))
    day = start.date().isoformat()
    response = client.get(
        f"/api/v1/listings/{listing.id}/tour-slots?type=guided&from={day}&to={day}"
    )
    assert response.status_code == 200
    body = response.json
    _check(spec, "TourSlotList", body)
    assert body["time_zone"] == "Europe/Helsinki"
    first = body["slots"][0]
    assert first["start"].startswith(f"{day}T09:00:00+0")
    assert first["start_utc"].endswith("Z")
    assert "agent" not in str(body)


def test_self_guided_slots_show_places_left(client, spec, listing):
    body = client.get(f"/api/v1/listings/{listing.id}/tour-slots?type=self_guided").json
    _check(spec, "TourSlotList", body)
    assert body["slots"][0]["remaining"] == 2


@pytest.mark.parametrize(
    ("query", "status"),
    [("type=helicopter", 400), ("type=video", 404), ("type=guided&from=tomorrow", 400)],
)
def test_bad_slot_queries(client, spec, listing, query, status):
    response = client.get(f"/api/v1/listings/{listing.id}/tour-slots?{query}")
    assert response.status_code == status
    _check(spec, "Error", response.json)


def test_book_returns_201_with_token_then_manage_by_token(client, spec, listing):
    """Book, read, reschedule and cancel through the API."""
    response = client.post("/api/v1/tours", json=_booking(listing, local_slot(2)))
    assert response.status_code == 201
    _check(spec, "TourCreated", response.json)
    token = response.json["token"]
    assert len(token) == 22
    read = client.get(f"/api/v1/tours/{token}")
    _check(spec, "Tour", read.json)
    assert read.json["status"] == "confirmed"
    moved = client.post(f"/api/v1/tours/{token}/reschedule", json={"start": iso(local_slot(3))})
    assert moved.status_code == 200
    _check(spec, "Tour", moved.json)
    assert moved.json["status"] == "rescheduled"
    assert moved.json["sequence"] == 1
    answers = client.post(f"/api/v1/tours/{token}", json={"priorities": ["quiet"]})
    assert answers.json["priorities"] == ["quiet"]
    cancelled = client.post(f"/api/v1/tours/{token}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json["status"] == "cancelled_by_prospect"
    again = client.post(f"/api/v1/tours/{token}/cancel")
    assert again.status_code == 409
    _check(spec, "Error", again.json)


def test_idempotency_key_header_returns_the_same_tour(client, listing):
    headers = {"Idempotency-Key": "retry-after-timeout-1"}
    first = client.post("/api/v1/tours", json=_booking(listing, local_slot(2)), headers=headers)
    second = client.post("/api/v1/tours", json=_booking(listing, local_slot(2)), headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json["token"] == second.json["token"]
    assert len(tours()) == 1


def test_taken_slot_is_409_with_alternatives(client, spec, listing):
    start = local_slot(2)
    client.post("/api/v1/tours", json=_booking(listing, start))
    response = client.post("/api/v1/tours", json=_booking(listing, start, email="b@example.com"))
    assert response.status_code == 409
    _check(spec, "SlotTaken", response.json)
    assert response.json["error"]["alternatives"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "nope"}, "email"),
        ({"name": "x" * 500}, "name"),
        ({"start": "2020-01-01T10:00:00Z"}, "start"),
        ({"start": "2030-01-01T10:00:00"}, "start"),  # no offset
        ({"type": "video"}, "type"),
        ({"listing_id": "1"}, "listing_id"),
        ({"priorities": ["world-peace"]}, "priorities"),
        ({"contact_channel": "fax"}, "contact_channel"),
    ],
)
def test_invalid_booking_is_422_with_field_errors(client, spec, listing, change, field):
    response = client.post("/api/v1/tours", json={**_booking(listing, local_slot(2)), **change})
    assert response.status_code == 422
    _check(spec, "Error", response.json)
    assert field in response.json["error"]["fields"]
    assert tours() == []
    assert emails() == []


def test_off_grid_start_is_422(client, listing):
    response = client.post("/api/v1/tours", json=_booking(listing, local_slot(2, time(10, 7))))
    assert response.status_code == 422
    assert tours() == []


def test_unknown_token_is_404(client, spec):
    response = client.get("/api/v1/tours/" + "z" * 22)
    assert response.status_code == 404
    _check(spec, "Error", response.json)


def test_non_json_body_is_400(client, listing):
    response = client.post("/api/v1/tours", data="name=Pia")
    assert response.status_code == 400
