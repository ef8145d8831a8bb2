"""Hostile input gets a clear 4xx, never a 500: the eight causes of issue 10, row 8.

Each test sends what an attacker sent and checks the answer and that nothing was stored.
"""

from datetime import time

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import Tour, TourType
from tests.factories import STAFF_PASSWORD, gen_agent, gen_staff, gen_tour_type, gen_unit
from tests.prospect_session import sign_in
from tests.tours_helpers import iso, local_slot, tours


@pytest.fixture
def listing(app):
    unit = gen_unit()
    gen_tour_type(unit.property, "guided")
    gen_agent(unit.property)
    db.session.commit()
    return unit


def _booking(listing, **fields) -> dict:
    body = {
        "listing_id": listing.id,
        "type": "guided",
        "start": iso(local_slot(2, time(10))),
        "name": "Pia",
        "email": "pia@example.com",
    }
    body.update(fields)
    return body


@pytest.mark.parametrize("value", ["%20", "x", "-1", "99999999999999999999"])
def test_an_invalid_choice_on_an_optional_select_is_a_field_error(client, app, value):
    """`/listings/?bedrooms=%20` shows the form with an error instead of failing."""
    response = client.get(f"/listings/?bedrooms={value}")
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    api = client.get(f"/api/v1/listings?bedrooms={value}")
    assert api.status_code == 400
    assert "bedrooms" in api.json["error"]["fields"]


@pytest.mark.parametrize("priorities", [[""], [" "], ["commute", ""], [None], [1], "commute"])
def test_an_invalid_priority_in_a_booking_is_refused(client, listing, priorities):
    """`{"priorities": [""]}` is a 422 naming the field, and books nothing."""
    response = client.post("/api/v1/tours", json=_booking(listing, priorities=priorities))
    assert response.status_code == 422
    assert "priorities" in response.json["error"]["fields"]
    assert tours() == []


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/listings/99999999999999999999",
        "/api/v1/listings/2147483648",
        "/api/v1/listings/9223372036854775808",
        "/api/v1/listings/" + "9" * 5000,
        "/api/v1/listings/2147483648/tour-slots?type=guided",
        "/listings/2147483648",
        "/listings/9223372036854775808/map.json",
        "/tours/book/2147483648",
    ],
)
def test_integers_in_paths_beyond_the_database_range_are_404(client, app, path):
    """Ids of 2^31 and more cannot exist: 404, not a database overflow."""
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "listing_id", [2**31, 2**63, -(2**63) - 1, 10**30, True, 1.5, "1", None, [1], {}]
)
def test_a_listing_id_outside_the_database_range_is_refused(client, listing, listing_id):
    """The booking body's `listing_id` must be a positive 32-bit integer: 422, nothing booked."""
    response = client.post("/api/v1/tours", json=_booking(listing, listing_id=listing_id))
    assert response.status_code == 422
    assert "listing_id" in response.json["error"]["fields"]
    assert tours() == []


@pytest.mark.parametrize(
    ("query", "empty"),
    [
        ("from=9999-12-31", True),
        ("from=9999-12-31&to=9999-12-31", True),
        ("to=0001-01-01", True),
        ("to=9999-12-31", False),
        ("from=0001-01-01", False),
    ],
)
def test_tour_slots_at_the_ends_of_the_calendar(client, listing, query, empty):
    """Far dates are clamped to the booking window: a list (empty past it), not an overflow."""
    response = client.get(f"/api/v1/listings/{listing.id}/tour-slots?type=guided&{query}")
    assert response.status_code == 200
    assert (response.json["slots"] == []) is empty


@pytest.mark.parametrize(
    "ids", ["9" * 5000, ",".join(["1"] * 5000), "²", "١٢", "2147483648", "-1", "1e9"]
)
def test_compare_ignores_ids_that_cannot_exist(client, app, ids):
    """`/me/compare?ids=` with 5,000 digits (or odd digits) leaves them out with a note."""
    response = client.get("/me/compare", query_string={"ids": ids})
    assert response.status_code == 200
    assert "We left out" in response.get_data(as_text=True)


def test_100000_brackets_are_refused(client, listing):
    """The reported body, 100,000 `[`, is refused unread (it is over the size limit)."""
    response = client.post("/api/v1/tours", data="[" * 100_000, content_type="application/json")
    assert response.status_code == 413
    assert tours() == []


@pytest.mark.parametrize("body", ["[" * 30_000, "[" * 1_000 + "]" * 1_000, "[" * 33 + "]" * 33])
def test_deeply_nested_json_is_a_400(client, listing, body):
    """JSON nested deeper than the limit never reaches a view (nor the parser's recursion)."""
    response = client.post("/api/v1/tours", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "bad_request"
    assert tours() == []


def test_json_at_the_depth_limit_is_still_read(client, listing):
    """Nesting up to the limit is ordinary JSON: the booking answers 422 on its fields."""
    from portal.input_limits import MAX_JSON_DEPTH

    nested = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)
    body = '{"priorities": ' + nested + "}"
    response = client.post("/api/v1/tours", data=body, content_type="application/json")
    assert response.status_code == 422


def test_an_oversized_json_body_is_a_413(client, listing):
    """JSON bodies larger than the limit are refused unread."""
    from portal.input_limits import MAX_JSON_BYTES

    body = '{"name": "' + "x" * MAX_JSON_BYTES + '"}'
    response = client.post("/api/v1/tours", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json["error"]["code"] == "request_entity_too_large"
    assert tours() == []


@pytest.mark.parametrize("target", ["/me/\r\nSet-Cookie: a=b", "/me/\nx", "/\t/evil.example"])
def test_cr_lf_in_a_next_query_is_refused_before_staff_sign_in(client, app, target):
    """`/auth/login?next=` with CR/LF (header injection) is a 400; nobody is signed in."""
    staff = gen_staff("agent")
    db.session.commit()
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"email": staff.email, "password": STAFF_PASSWORD},
    )
    assert response.status_code == 400
    assert "control characters" in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


@pytest.mark.parametrize(
    "target", ["/me/\r\nSet-Cookie: a=b", "/\t/evil.example", "/\\evil.example", "/\\/x"]
)
def test_a_next_in_a_form_with_cr_lf_or_a_backslash_is_ignored(client, listing, target):
    """Saving a listing with a hostile `next` in the form goes to the saved list instead."""
    response = client.post(f"/me/saved/{listing.id}", data={"next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == "/me/saved"


@pytest.mark.parametrize("target", ["/\\evil.example", "/\\/x"])
def test_a_backslash_next_after_a_prospect_signs_in_goes_to_the_account(client, app, target):
    """Browsers read `/\\evil.example` as `//evil.example`: the magic-link sign-in drops it."""
    from flask import current_app

    from portal.prospects.magic_links import issue_link

    issued = issue_link("pia@example.com", secret_key=current_app.config["SECRET_KEY"])
    db.session.commit()
    response = client.post(f"/me/sign-in/{issued.token}", query_string={"next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == "/me/"


@pytest.mark.parametrize(
    "field", ["buffer_before_minutes", "buffer_after_minutes", "min_notice_minutes"]
)
def test_a_cleared_optional_minutes_field_means_zero(client, auth, app, field):
    """Emptying an optional minutes field in the tour settings saves 0, not a NULL."""
    unit = gen_unit()
    guided = gen_tour_type(unit.property, "guided", min_notice_minutes=60)
    admin = gen_staff("admin")
    db.session.commit()
    auth.login(admin.email, STAFF_PASSWORD)
    values = {
        "duration_minutes": 45,
        "interval_minutes": 60,
        "buffer_before_minutes": 15,
        "buffer_after_minutes": 15,
        "min_notice_minutes": 120,
        "horizon_days": 10,
        "capacity": 1,
        "confirmation": "instant",
        "hold_hours": 24,
        "active": "y",
    }
    values[field] = ""
    url = f"/staff/properties/{unit.property_id}/tour-types/{guided.id}"
    response = client.post(url, data={f"t{guided.id}-{k}": v for k, v in values.items()})
    assert response.status_code == 303
    db.session.expire_all()
    saved = db.session.get(TourType, guided.id)
    assert getattr(saved, field) == 0
    assert saved.duration_minutes == 45


@pytest.mark.parametrize("field", ["name", "email", "phone", "priorities_note"])
def test_nul_in_a_booking_text_field_is_refused(client, listing, field):
    """A NUL byte (which PostgreSQL cannot store) is a 422 that names the field."""
    value = {"email": "pia\x00@example.com", "phone": "+358 40\x00"}.get(field, "Pia\x00")
    response = client.post("/api/v1/tours", json=_booking(listing, **{field: value}))
    assert response.status_code == 422
    assert "control characters" in str(response.json["error"]["fields"])
    assert db.session.scalar(sa.select(sa.func.count(Tour.id))) == 0


def test_nul_in_a_form_field_is_shown_next_to_it(client, listing):
    """The booking page refuses a NUL in the name with a message and keeps nothing."""
    start = local_slot(2, time(10))
    response = client.post(
        f"/tours/book/{listing.id}/details",
        data={
            "type": "guided",
            "start": iso(start),
            "name": "Pia\x00",
            "email": "pia@example.com",
            "contact_channel": "email",
        },
    )
    assert response.status_code == 422
    assert "control characters" in response.get_data(as_text=True)
    assert tours() == []


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/tours/AAAAAAAAAAAAAAAAAAAA%00A",
        "/tours/m/AAAAAAAAAAAAAAAAAAAA%00A",
        "/me/sign-in/abc%00def",
        "/api/v1/geocode?q=Annankatu%00",
        "/api/v1/commute?from=60.17,24.93&to=Annankatu%00",
        "/listings/?commute_to=Annankatu%00",
    ],
)
def test_nul_in_a_url_is_refused(client, listing, path):
    """A NUL in a path or query value never reaches a database query."""
    response = client.get(path)
    assert 400 <= response.status_code < 500


def test_nul_in_a_prospect_form_is_refused_and_nothing_changes(client, app):
    """A signed-in prospect's profile keeps its name when the new one carries a NUL."""
    prospect = sign_in(client, "pia@example.com")
    before = prospect.name
    response = client.post("/me/", data={"name": "Pia\x00", "phone": ""})
    assert response.status_code == 400
    db.session.expire_all()
    assert prospect.name == before
