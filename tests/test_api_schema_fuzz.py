"""Schemathesis against /api/v1/openapi.json: no 5xx, answers match the document, and the
document describes what the validation accepts (valid requests served, invalid ones refused).

Runs on the Flask app directly (WSGI, no network) with a fixed seed and a few examples per
operation, so it is quick and never flaky. Ids and tokens that look valid are swapped for
a real listing's and tour's, so that valid requests reach the services.
"""

from datetime import time

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from portal.api.spec import openapi_document
from portal.extensions import db
from portal.input_limits import db_id
from portal.models.base import utcnow
from portal.staff.api_tokens import issue_token
from tests.factories import gen_agent, gen_tour_type, gen_unit
from tests.tours_helpers import iso, local_slot

EXAMPLES = 30
CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            # Its probe without the token is sent over the network, not to the WSGI app;
            # tests/test_staff_api_tokens.py asserts the 401 without a token instead.
            "ignored_auth": {"enabled": False},
            # Some valid requests are refused for what a schema cannot say (an address we do
            # not know, a time not offered, one parameter needing another): which ones, and
            # for what, is asserted per operation below.
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "400", "404", "409", "422"],
            },
        },
    }
)
schema = schemathesis.openapi.from_dict(openapi_document(), config=CONFIG)

_NEEDS_COMMUTE_TO = "Enter where you commute to first."
# What a request that matches the document may still be refused for, per operation: the
# error's fields, each with the one message it may carry (None: any message).
ALLOWED_REFUSALS = {
    "GET /listings": {
        "commute_to": None,  # an address we cannot find or do not cover (422)
        "max_minutes": _NEEDS_COMMUTE_TO,  # documented: needs commute_to
        "sort": _NEEDS_COMMUTE_TO,
        # documented: a signed-in prospect's saved place; an anonymous caller has none
        "place": "Choose one of your saved places.",
    },
    "GET /geocode": {"q": None},
    # a string of the right shape that is no day (2026-02-30)
    "GET /staff/tours": {"date": "Give the day as YYYY-MM-DD, e.g. 2026-11-24."},
    "GET /commute": {"from": None, "to": None},
    "POST /tours": {
        "start": None,  # not one of the offered times
        "listing_id": "Unknown.",
        "type": "Not offered.",
        "contact_channel": "Give a phone number so we can call or text you.",
    },
    "POST /tours/{token}/reschedule": {"start": None},
    # Ids the token's user may filter by: its properties and their agents.
    "GET /staff/prospects": {"property_id": None, "agent_id": None},
    # Rules between fields, stated in the document's descriptions.
    "POST /staff/tours/{id}/capture": {
        "units_shown": "every unit shown must belong to this tour's community",
        "objection_note": 'say what the "other" objection was',
        "lost_reason": "say why the visitor is not going ahead",
        "decide_by": None,
        "priorities.budget_min": "must not be above the maximum",
    },
}


def _check_refusal(case, response) -> None:
    """A valid request refused with 400 or 422 names only fields it may be refused for."""
    if not (case.meta and case.meta.generation.mode.is_positive):
        return
    if response.status_code not in (400, 422):
        return
    error = response.json()["error"]
    allowed = ALLOWED_REFUSALS.get(case.operation.label, {})
    fields = error.get("fields") or {}
    if not fields:
        assert error["code"] == "outside_coverage", error
    for name, messages in fields.items():
        assert name in allowed, f"valid request refused on {name}: {messages}"
        assert allowed[name] in (None, *messages), f"{name}: {messages}"


@pytest.fixture
def app_config() -> dict:
    """Generated bookings share a few addresses: lift the open-tours cap (tested elsewhere),
    so that valid bookings reach the services instead of a documented 429."""
    return {"TOUR_OPEN_TOURS_PER_EMAIL": 10_000}


@pytest.fixture
def api_data(app):
    """The app, a listing with guided and self-guided tours, a booked tour's token and a
    staff API token of the listing's agent."""
    unit = gen_unit()
    gen_tour_type(unit.property, "guided")
    gen_tour_type(unit.property, "self_guided", capacity=2)
    agent = gen_agent(unit.property)
    staff_secret = issue_token(agent, "fuzz", now=utcnow()).secret
    db.session.commit()
    booking = {
        "listing_id": unit.id,
        "type": "guided",
        "start": iso(local_slot(2, time(10))),
        "name": "Pia",
        "email": "pia@example.com",
    }
    response = app.test_client().post("/api/v1/tours", json=booking)
    assert response.status_code == 201
    return app, unit.id, response.json["token"], staff_secret


def _real_ids(case, app, listing_id: int, token: str, staff_secret: str) -> None:
    """Point well-formed ids at the real listing and tour, a booking at a free time, and
    the staff operations' bearer token at a real one."""
    if case.operation.path.startswith("/staff") and case.meta.generation.mode.is_positive:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {staff_secret}"}
    path = case.path_parameters or {}
    if db_id(path.get("id")):
        path["id"] = listing_id
    if isinstance(path.get("token"), str) and len(path["token"]) == 22:
        path["token"] = token
    positive = case.meta and case.meta.generation.mode.is_positive
    body = case.body if positive and isinstance(case.body, dict) else {}
    if "listing_id" in body:
        body["listing_id"] = listing_id
    if "start" in body and body.get("type") in ("guided", "self_guided"):
        slots = app.test_client().get(
            f"/api/v1/listings/{listing_id}/tour-slots", query_string={"type": body["type"]}
        )
        body["start"] = slots.json["slots"][0]["start_utc"]


def _check_round_trip(case, response, app) -> None:
    """What a new booking or new answers stored reads back as it was sent."""
    stores = {"POST /tours": 201, "POST /tours/{token}": 200}
    if stores.get(case.operation.label) != response.status_code:
        return
    data = response.json()
    token = data.get("token") or case.path_parameters["token"]
    stored = app.test_client().get(f"/api/v1/tours/{token}").json
    for name in ("name", "email", "phone", "priorities_note"):
        sent = case.body.get(name)
        if isinstance(sent, str):
            assert stored[name] in (sent, sent.strip()), name
    if isinstance(case.body.get("priorities"), list):
        assert sorted(set(stored["priorities"])) == sorted(set(case.body["priorities"]))


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_its_document(case, api_data):
    """Every generated request, valid or not, gets an answer the document promises."""
    app, listing_id, token, staff_secret = api_data
    _real_ids(case, app, listing_id, token, staff_secret)
    # Schemathesis's WSGI transport does not decode Brotli (a browser or httpx would).
    response = case.call_and_validate(app=app, headers={"Accept-Encoding": "identity"})
    _check_refusal(case, response)
    _check_round_trip(case, response, app)
