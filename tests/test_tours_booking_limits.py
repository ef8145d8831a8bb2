"""Booking limits shared by the page and the API: per client, per email, per listing and day.

Rates are counted in Flask-Limiter's storage (so they need ``RATELIMIT_ENABLED``);
the open-tours cap is counted in the database and always applies.
"""

import uuid
from datetime import time

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import Tour
from portal.models.base import utcnow
from tests.factories import gen_agent, gen_tour_type, gen_unit
from tests.loopback_servers import free_port
from tests.tours_helpers import booking_data, emails, iso, local_slot, tours

pytestmark = pytest.mark.usefixtures("fixed_clock")


def _listing(**type_fields) -> int:
    unit = gen_unit()
    gen_tour_type(unit.property, "guided", horizon_days=30, **type_fields)
    gen_agent(unit.property)
    db.session.commit()
    return unit.id


def _slot(n: int):
    """The n-th free slot: a day per eight, 9:00-16:00 local."""
    return local_slot(2 + n // 8, time(9 + n % 8))


def _page(client, unit_id: int, n: int, client_ip: str = "127.0.0.1", **fields):
    data = booking_data("guided", _slot(n), **fields)
    return client.post(
        f"/tours/book/{unit_id}/details", data=data, environ_base={"REMOTE_ADDR": client_ip}
    )


def _api(client, unit_id: int, n: int, client_ip: str = "127.0.0.1", **fields):
    body = {
        "listing_id": unit_id,
        "type": "guided",
        "start": iso(_slot(n)),
        "name": "Pia Prospect",
        "email": "pia@example.com",
        **fields,
    }
    return client.post("/api/v1/tours", json=body, environ_base={"REMOTE_ADDR": client_ip})


def _limited(app_factory, **settings):
    """An app with rate limits on, its own counters, and no other limit in the way."""
    defaults = {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_KEY_PREFIX": f"limits-{uuid.uuid4().hex}",
        "TOUR_BOOKING_LIMIT_PER_CLIENT": "100/hour",
        "TOUR_BOOKING_LIMIT_PER_EMAIL": "100/hour",
        "TOUR_BOOKING_LIMIT_PER_LISTING": "100/day",
        "TOUR_OPEN_TOURS_PER_EMAIL": 100,
        "TOUR_UNVERIFIED_INSTANT_PER_EMAIL": 100,
        "TOUR_UNVERIFIED_INSTANT_PER_DAY": 100,
    }
    return app_factory(**{**defaults, **settings})


def test_page_and_api_share_one_budget_per_client(app, app_factory):
    """Two bookings by page and API use up a client's 2/hour; the third is 429 on both."""
    limited = _limited(app_factory, TOUR_BOOKING_LIMIT_PER_CLIENT="2/hour")
    with limited.app_context():
        unit = _listing()
        client = limited.test_client()
        assert _page(client, unit, 0, email="a@example.com").status_code == 303
        assert _api(client, unit, 1, email="b@example.com").status_code == 201
        page = _page(client, unit, 2, email="c@example.com", name="Cleo Third")
        api = _api(client, unit, 3, email="d@example.com")
        assert page.status_code == 429
        assert api.status_code == 429
        assert len(tours()) == 2
        other_client = _page(client, unit, 4, client_ip="192.0.2.9", email="e@example.com")
        assert other_client.status_code == 303


def test_a_refused_page_booking_keeps_the_form_and_says_why(app, app_factory):
    """429 with the visitor's details still filled in, a clear message and Retry-After."""
    limited = _limited(app_factory, TOUR_BOOKING_LIMIT_PER_CLIENT="1/hour")
    with limited.app_context():
        unit = _listing()
        client = limited.test_client()
        _page(client, unit, 0)
        refused = _page(client, unit, 1, name="Cleo Third", email="cleo@example.com")
        html = refused.get_data(as_text=True)
        assert refused.status_code == 429
        assert 0 < int(refused.headers["Retry-After"]) <= 3600
        assert 'value="Cleo Third"' in html
        assert 'value="cleo@example.com"' in html
        assert "paused booking for a while" in html
        assert emails("tour_confirmed")[0].to_address == "pia@example.com"
        assert len(emails()) == 1  # nothing queued for the refused booking


def test_a_refused_api_booking_is_429_json_with_retry_after(app, app_factory):
    """The API answers like the page: 429, code too_many_bookings, Retry-After in seconds."""
    limited = _limited(app_factory, TOUR_BOOKING_LIMIT_PER_CLIENT="1/hour")
    with limited.app_context():
        unit = _listing()
        client = limited.test_client()
        assert _api(client, unit, 0).status_code == 201
        refused = _api(client, unit, 1, email="b@example.com")
        assert refused.status_code == 429
        assert refused.json["error"]["code"] == "too_many_bookings"
        assert 0 < int(refused.headers["Retry-After"]) <= 3600


def test_limit_per_email_counts_every_spelling_of_the_address(app, app_factory):
    """From three clients, Pia@Example.com and pia@example.com are one address."""
    limited = _limited(app_factory, TOUR_BOOKING_LIMIT_PER_EMAIL="2/hour")
    with limited.app_context():
        unit = _listing()
        client = limited.test_client()
        first = _page(client, unit, 0, client_ip="192.0.2.1", email="pia@example.com")
        second = _api(client, unit, 1, client_ip="192.0.2.2", email="Pia@Example.com")
        third = _page(client, unit, 2, client_ip="192.0.2.3", email="PIA@example.COM")
        assert [first.status_code, second.status_code, third.status_code] == [303, 201, 429]


def test_limit_per_listing_and_day(app, app_factory):
    """One listing takes at most its daily number of bookings, whoever sends them."""
    limited = _limited(app_factory, TOUR_BOOKING_LIMIT_PER_LISTING="2/day")
    with limited.app_context():
        unit, other = _listing(), _listing()
        client = limited.test_client()
        codes = [
            _page(client, unit, n, client_ip=f"192.0.2.{n}", email=f"v{n}@example.com").status_code
            for n in range(3)
        ]
        assert codes == [303, 303, 429]
        elsewhere = _page(client, other, 0, client_ip="192.0.2.7", email="w@example.com")
        assert elsewhere.status_code == 303


def test_open_tours_per_email_are_capped_even_without_rate_limits(client, app):
    """A fourth upcoming tour for one address is refused (a database cap, not a rate)."""
    unit = _listing()
    codes = [_page(client, unit, n, email="Pia@example.com").status_code for n in range(3)]
    refused = _api(client, unit, 3, email="pia@EXAMPLE.com")
    assert codes == [303, 303, 303]
    assert refused.status_code == 429
    assert "already has 3 upcoming tours" in refused.json["error"]["message"]
    until_first_starts = (min(t.starts_at for t in tours()) - utcnow()).total_seconds()
    assert 0 < int(refused.headers["Retry-After"]) <= until_first_starts + 60
    assert len(tours()) == 3


def test_a_cancelled_tour_frees_a_place_under_the_cap(client, app):
    """Only open tours count: after cancelling one, the address may book again."""
    unit = _listing()
    for n in range(3):
        _page(client, unit, n)
    assert client.post(f"/tours/m/{tours()[0].token}/cancel").status_code == 303
    assert _page(client, unit, 4).status_code == 303


def test_limits_are_shared_by_two_workers_through_redis(app, app_factory, redis_server):
    """Two app instances (two gunicorn workers) on one Redis count one budget per client."""
    settings = {
        "RATELIMIT_STORAGE_URI": redis_server.url,
        "TOUR_BOOKING_LIMIT_PER_CLIENT": "2/hour",
        "RATELIMIT_KEY_PREFIX": f"shared-{uuid.uuid4().hex}",
    }
    first, second = _limited(app_factory, **settings), _limited(app_factory, **settings)
    with first.app_context():
        unit = _listing()
    codes = []
    for n, worker in enumerate((first, second, first)):
        with worker.app_context():
            codes.append(_page(worker.test_client(), unit, n).status_code)
    assert codes == [303, 303, 429]


def test_with_redis_unreachable_limits_count_in_memory_and_nothing_fails(app, app_factory, caplog):
    """Redis refusing connections: bookings go through, the limit still stops the third."""
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    limited = _limited(
        app_factory, RATELIMIT_STORAGE_URI=dead_redis, TOUR_BOOKING_LIMIT_PER_CLIENT="2/hour"
    )
    with limited.app_context():
        unit = _listing()
        client = limited.test_client()
        codes = [_page(client, unit, n, email=f"v{n}@example.com").status_code for n in range(3)]
        assert codes == [303, 303, 429]
        assert "falling back to in-memory storage" in caplog.text
        assert db.session.scalar(sa.select(sa.func.count(Tour.id))) == 2


def test_counting_falls_back_when_redis_fails_mid_check(app, monkeypatch, caplog):
    """A storage error inside the booking check is logged and counted in memory, never a 500."""
    from portal.tours import booking_limits

    class Broken:
        def test(self, *args, **kwargs):
            raise ConnectionError("Redis went away")

    monkeypatch.setattr(booking_limits.limiter, "enabled", True)
    monkeypatch.setattr(type(booking_limits.limiter), "limiter", property(lambda self: Broken()))
    limits = booking_limits.BookingLimits(per_client="1/hour", key_prefix=uuid.uuid4().hex)
    ok = booking_limits.check_rates(limits, client="192.0.2.1", email="a@example.com", unit_id=1)
    refused = booking_limits.check_rates(
        limits, client="192.0.2.1", email="b@example.com", unit_id=2
    )
    assert ok is None
    assert refused is not None
    assert refused.retry_after > 0
    assert "counting in memory" in caplog.text


def test_a_retried_request_is_not_counted_again(app, app_factory):
    """A double submit (same idempotency key) returns its tour even at the limit."""
    limited = _limited(app_factory, TOUR_BOOKING_LIMIT_PER_CLIENT="1/hour")
    with limited.app_context():
        unit = _listing()
        client = limited.test_client()
        key = "double-click-0123456789"
        first = _page(client, unit, 0, idempotency_key=key)
        again = _page(client, unit, 0, idempotency_key=key)
        assert (first.status_code, again.status_code) == (303, 303)
        assert first.headers["Location"] == again.headers["Location"]


def test_rate_limits_stay_off_when_rate_limiting_is_off(client, app):
    """``RATELIMIT_ENABLED=0`` (load tests) leaves the rates alone; the caps still apply."""
    unit = _listing()
    emails_ = [f"v{n}@example.com" for n in range(12)]
    codes = [_page(client, unit, n, email=e).status_code for n, e in enumerate(emails_)]
    assert codes == [303] * 12
    assert {t.status for t in tours()} == {"confirmed"}
