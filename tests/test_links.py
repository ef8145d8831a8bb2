"""Absolute links come from PORTAL_BASE_URL only, and requests for a foreign Host are refused."""

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.config import _host_list
from portal.extensions import db
from portal.links import default_trusted_hosts, external_url
from portal.models import OutboxEmail
from tests.factories import gen_agent, gen_media, gen_tour_type, gen_unit
from tests.tours_helpers import iso, local_slot

PORTAL_DIR = Path(__file__).resolve().parent.parent / "portal"
EVIL = {"Host": "evil.example"}


def _outbox() -> list[OutboxEmail]:
    return list(db.session.scalars(sa.select(OutboxEmail).order_by(OutboxEmail.id)))


def test_nothing_but_the_helper_builds_external_urls():
    """No module or template calls url_for(_external=True) or reads the request's address."""
    offenders = []
    for path in PORTAL_DIR.rglob("*"):
        if path.suffix not in {".py", ".html", ".txt"}:
            continue
        text = path.read_text(encoding="utf-8")
        patterns = [r"\b_external\s*=", r"request\.(host_url|url_root|base_url)"]
        if path.name != "links.py":
            patterns.append(r"force_external")
        for pattern in patterns:
            if re.search(pattern, text):
                offenders.append(f"{path.relative_to(PORTAL_DIR)}: {pattern}")
    assert offenders == []


def test_external_url_uses_the_base_url_outside_a_request(app_factory):
    """A job (no request, no SERVER_NAME) builds links on PORTAL_BASE_URL, path prefix kept."""
    app = app_factory(SERVER_NAME=None, PORTAL_BASE_URL="https://homes.example.com/portal")
    with app.app_context():
        url = external_url("tours.manage", token="abc")
        assert url == "https://homes.example.com/portal/tours/m/abc"
        assert external_url("prospects.sign_in", next=None) == (
            "https://homes.example.com/portal/me/sign-in"
        )


def test_external_url_ignores_the_requests_host(app_factory):
    """Inside a request for another trusted host the link still names the configured base."""
    app = app_factory(
        PORTAL_BASE_URL="https://homes.example.com", TRUSTED_HOSTS=["portal.test", "alias.test"]
    )
    with app.test_request_context("/", base_url="http://alias.test"):
        assert external_url("listings.detail", unit_id=7) == "https://homes.example.com/listings/7"


def test_sign_in_with_a_foreign_host_mails_no_link(client):
    """POST /me/sign-in with Host: evil.example is refused and queues no email at all."""
    response = client.post("/me/sign-in", data={"email": "pia@example.com"}, headers=EVIL)
    assert response.status_code == 400
    assert _outbox() == []


@pytest.fixture
def elsewhere(app, app_factory):
    """An app whose public address differs from the hosts the test client talks to."""
    return app_factory(
        PORTAL_BASE_URL="https://homes.example.com", TRUSTED_HOSTS=["portal.test", "alias.test"]
    )


def test_sign_in_link_names_the_configured_base_whatever_the_host(elsewhere):
    """Through a trusted alias, the mailed link still starts with PORTAL_BASE_URL."""
    response = elsewhere.test_client().post(
        "/me/sign-in", data={"email": "pia@example.com"}, base_url="http://alias.test"
    )
    assert response.status_code == 303
    [email] = _outbox()
    assert re.search(r"https://homes\.example\.com/me/sign-in/\S+", email.text_body)
    assert "alias.test" not in email.text_body + email.html_body


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/listings/"),
        ("GET", "/api/v1/openapi.json"),
        ("GET", "/api/v1/listings/1"),
        ("GET", "/tours/m/not-a-token"),
        ("POST", "/api/v1/tours"),
        ("POST", "/auth/login"),
        ("GET", "/static/css/portal.css"),
        ("GET", "/no-such-page"),
    ],
)
def test_a_foreign_host_answers_400_never_500(client, method, path):
    """Every route, page or API, static or missing, answers a bad Host with a plain 400."""
    response = client.open(path, method=method, headers=EVIL)
    assert response.status_code == 400
    assert "evil.example" not in response.get_data(as_text=True)


def test_a_malformed_host_answers_400(client):
    """A Host with characters no host name has is refused like an unknown one."""
    assert client.get("/", headers={"Host": "portal.test/../x"}).status_code == 400


def test_development_trusts_the_base_host_and_loopback(client):
    """Without TRUSTED_HOSTS, development answers its base host, 127.0.0.1 and localhost."""
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz", base_url="http://127.0.0.1:5000").status_code == 200
    assert client.get("/healthz", base_url="http://localhost:5000").status_code == 200


def test_production_trusts_only_its_public_host(production_app_factory):
    """Production answers the host of PORTAL_BASE_URL and refuses localhost."""
    app = production_app_factory()
    assert app.config["TRUSTED_HOSTS"] == ["homes.example.com"]
    client = app.test_client()
    assert client.get("/healthz", base_url="https://homes.example.com").status_code == 200
    assert client.get("/healthz", base_url="http://localhost").status_code == 400


def test_trusted_hosts_setting_replaces_the_default(production_app_factory):
    """TRUSTED_HOSTS (parsed from the comma-separated variable) is used as given."""
    app = production_app_factory(TRUSTED_HOSTS=_host_list(" homes.example.com, .internal ,"))
    client = app.test_client()
    assert client.get("/healthz", base_url="http://lb.internal").status_code == 200
    assert client.get("/healthz", base_url="http://evil.example").status_code == 400


def test_default_trusted_hosts():
    """The default comes from the base URL's host name (port dropped)."""
    assert default_trusted_hosts("https://homes.example.com:8443/x", development=False) == [
        "homes.example.com"
    ]
    assert default_trusted_hosts("http://127.0.0.1:5000", development=True) == [
        "127.0.0.1",
        "localhost",
    ]
    assert _host_list(None) is None


@pytest.fixture
def listing(app):
    unit = gen_unit()
    gen_media(unit)
    gen_tour_type(unit.property, "guided")
    gen_agent(unit.property)
    db.session.commit()
    return unit


def test_api_links_name_the_configured_base(elsewhere, listing, fixed_clock):
    """manage_url, calendar_url, listing and media urls and the OpenAPI server use the base."""
    client = elsewhere.test_client()
    body = {
        "listing_id": listing.id,
        "type": "guided",
        "start": iso(local_slot(2)),
        "name": "Pia",
        "email": "pia@example.com",
    }
    booked = client.post("/api/v1/tours", json=body, base_url="http://alias.test")
    assert booked.status_code == 201
    tour = client.get(f"/api/v1/tours/{booked.json['token']}", base_url="http://alias.test").json
    assert tour["manage_url"].startswith("https://homes.example.com/tours/m/")
    assert tour["calendar_url"].startswith("https://homes.example.com/tours/m/")
    detail = client.get(f"/api/v1/listings/{listing.id}", base_url="http://alias.test").json
    assert detail["url"] == f"https://homes.example.com/listings/{listing.id}"
    assert detail["media"][0]["url"].startswith("https://homes.example.com/static/")
    spec = client.get("/api/v1/openapi.json", base_url="http://alias.test").json
    assert spec["servers"][0]["url"] == "https://homes.example.com/api/v1"
    [email] = [e for e in _outbox() if e.kind == "tour_confirmed"]
    assert "https://homes.example.com/tours/m/" in email.text_body
    assert "alias.test" not in email.text_body + email.html_body
    ics = email.attachments[0]["content"]
    assert "https://homes.example.com/tours/m/" in ics.replace("\r\n ", "")
    assert "alias.test" not in ics
