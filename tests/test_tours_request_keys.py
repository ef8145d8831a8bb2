"""Idempotency keys: scoped to the client, bound to the request body, expiring after 24 h."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import TourRequestKey
from portal.models.base import utcnow
from portal.tours import request_keys
from tests.factories import gen_agent, gen_tour_type, gen_unit
from tests.tours_helpers import booking_data, iso, local_slot, tours

pytestmark = pytest.mark.usefixtures("fixed_clock")
KEY = "retry-after-timeout-0001"


@pytest.fixture
def listing(app):
    unit = gen_unit()
    gen_tour_type(unit.property, "guided", horizon_days=30)
    gen_tour_type(unit.property, "self_guided", capacity=5, horizon_days=30)
    gen_agent(unit.property)
    db.session.commit()
    return unit


def _body(listing, **fields) -> dict:
    return {
        "listing_id": listing.id,
        "type": "guided",
        "start": iso(local_slot(3)),
        "name": "Pia Prospect",
        "email": "pia@example.com",
        **fields,
    }


def _post(client, body, key=KEY, client_ip="127.0.0.1"):
    return client.post(
        "/api/v1/tours",
        json=body,
        headers={"Idempotency-Key": key},
        environ_base={"REMOTE_ADDR": client_ip},
    )


def test_same_key_with_another_body_is_422_and_reveals_nothing(client, listing):
    """Someone reusing a key gets 422 idempotency_key_reused, never the first tour."""
    first = _post(client, _body(listing))
    reused = _post(client, _body(listing, name="Mallory", email="mallory@example.com"))
    assert first.status_code == 201
    assert reused.status_code == 422
    assert reused.json["error"]["code"] == "idempotency_key_reused"
    assert first.json["token"] not in reused.get_data(as_text=True)
    assert "pia@example.com" not in reused.get_data(as_text=True)
    assert len(tours()) == 1


def test_same_key_with_the_same_body_returns_the_first_tour(client, listing):
    """A retried request (same key, same body) is answered 200 with the same tour."""
    first = _post(client, _body(listing))
    again = _post(client, _body(listing))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["token"] == first.json["token"]


def test_a_key_is_scoped_to_the_client(client, listing):
    """The same key and body from another client address never returns the first tour."""
    body = _body(listing, type="self_guided")
    first = _post(client, body)
    other = _post(client, body, client_ip="192.0.2.44")
    assert (first.status_code, other.status_code) == (201, 201)
    assert other.json["token"] != first.json["token"]


def test_page_keys_and_api_keys_do_not_mix(client, listing):
    """A key used on the booking page is not found by the API (another scope)."""
    start = local_slot(3)
    page = client.post(
        f"/tours/book/{listing.id}/details",
        data=booking_data("self_guided", start, idempotency_key=KEY),
    )
    api = _post(client, _body(listing, type="self_guided", start=iso(start), name="Pia Prospect"))
    assert page.status_code == 303
    assert api.status_code == 201
    assert len(tours()) == 2


def test_the_page_refuses_a_reused_key_with_a_message_and_a_new_key(client, listing):
    """The form sent again with other details under the same key: 422, nothing booked,
    and the form comes back with a fresh key so that pressing again books anew."""
    url = f"/tours/book/{listing.id}/details"
    data = booking_data("guided", local_slot(3), idempotency_key=KEY)
    assert client.post(url, data=data).status_code == 303
    changed = {**data, "email": "someone.else@example.com", "start": iso(local_slot(4))}
    response = client.post(url, data=changed)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This form has already booked a tour" in html
    assert len(tours()) == 1
    fresh = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', html).group(1)
    assert fresh != KEY
    assert client.post(url, data={**changed, "idempotency_key": fresh}).status_code == 303
    assert len(tours()) == 2


def test_an_expired_key_books_anew(client, listing, time_machine):
    """After 24 hours the key is forgotten: the same request makes a new tour."""
    body = _body(listing, type="self_guided", start=iso(local_slot(5)))
    first = _post(client, body)
    time_machine.shift(timedelta(hours=25))
    again = _post(client, body)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json["token"] != first.json["token"]
    assert db.session.scalar(sa.select(sa.func.count(TourRequestKey.id))) == 1


def test_a_key_is_kept_24_hours_with_a_hash_not_the_request(client, listing):
    """What is stored: scope, key, a SHA-256 of the request and the expiry, no personal data."""
    _post(client, _body(listing))
    stored = db.session.scalar(sa.select(TourRequestKey))
    assert stored.scope == "api:127.0.0.1"
    assert len(stored.request_hash) == 64
    assert "pia" not in stored.request_hash
    assert stored.expires_at - stored.created_at == timedelta(hours=24)


def test_purge_deletes_only_expired_keys(client, listing):
    """The tidy-up job removes expired keys and keeps live ones."""
    _post(client, _body(listing))
    _post(client, _body(listing, type="self_guided"), key="another-key-000000001")
    stored = db.session.scalars(sa.select(TourRequestKey).order_by(TourRequestKey.id)).all()
    stored[0].expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert request_keys.purge_expired(utcnow()) == 1
    db.session.commit()
    assert db.session.scalars(sa.select(TourRequestKey.key)).all() == ["another-key-000000001"]


def test_erasure_forgets_the_keys_of_the_tours(client, listing):
    """Deleting the account deletes the tours' keys (their hash was made from personal data)."""
    from portal.models import Prospect
    from portal.prospects.my_data import erase_prospect

    _post(client, _body(listing))
    erase_prospect(db.session.scalar(sa.select(Prospect)))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(TourRequestKey.id))) == 0
