"""Security headers on every response; no-store on personal pages; HSTS only in production."""

import re

import pytest

from portal.config import PACKAGE_DIR
from portal.extensions import db
from portal.mail.outbox import queue_email
from portal.security_headers import content_security_policy
from tests.factories import STAFF_PASSWORD, gen_agent, gen_staff, gen_tour_type, gen_unit
from tests.prospect_session import sign_in
from tests.tours_helpers import iso, local_slot

# One page (or answer) of every blueprint, plus the static files and an unknown address.
REPRESENTATIVE_PAGES = {
    "/": "home",
    "/healthz": "home",
    "/listings/": "listings",
    "/auth/login": "auth",
    "/staff/": "staff",
    "/studio/followups": "studio",
    "/studio/insights": "studio",
    "/me/sign-in": "prospects",
    "/commute/": "commute",
    "/api/v1/listings": "api",
    "/tours/m/" + "a" * 22: "tours",
    "/dev/outbox": "devtools",
    "/studio/": "studio",
    "/sitemap.xml": "studio_public",
    "/static/css/portal.css": None,
    "/no-such-page": None,
}
PERSONAL_PAGES = [
    "/me/",
    "/me/data",
    "/me/data.json",
    "/me/saved",
    "/me/sign-in",
    "/staff/",
    "/staff/tours",
    "/auth/login",
    "/commute/",
    "/dev/outbox",
    "/studio/",
]


@pytest.fixture
def tour_token(client):
    """A booked tour's manage token (booked through the API)."""
    unit = gen_unit()
    gen_tour_type(unit.property, "guided")
    gen_agent(unit.property)
    db.session.commit()
    body = {
        "listing_id": unit.id,
        "type": "guided",
        "start": iso(local_slot(2)),
        "name": "Pia",
        "email": "pia@example.com",
    }
    response = client.post("/api/v1/tours", json=body)
    assert response.status_code == 201
    return response.json["token"]


def test_the_pages_cover_every_blueprint(app):
    """The representative pages reach every registered blueprint (a new one must join)."""
    adapter = app.url_map.bind("portal.test")
    reached = set()
    for path in REPRESENTATIVE_PAGES:
        try:
            endpoint, _ = adapter.match(path)
        except Exception:  # noqa: BLE001, S112  (the unknown page matches nothing, on purpose)
            continue
        reached.add(endpoint.rpartition(".")[0] or None)
    assert set(app.blueprints) <= reached


@pytest.mark.parametrize("path", REPRESENTATIVE_PAGES)
def test_every_response_carries_the_security_headers(client, path):
    """CSP without inline script, no framing, nosniff and a referrer policy, whatever the page."""
    response = client.get(path)
    response.close()  # a static file answer holds the file open until closed
    assert response.status_code < 500
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {"strict-origin-when-cross-origin", "no-referrer"}


def test_error_and_api_answers_carry_them_too(client):
    """A 405 under /api/ and a JSON 404 are covered like pages."""
    for response in (client.delete("/api/v1/listings"), client.get("/api/v1/nothing")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_public_pages_use_the_default_referrer_policy(client):
    """Outside the tours pages the referrer is cut to the origin when leaving the site."""
    assert client.get("/listings/").headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_tour_manage_pages_keep_no_referrer(client, tour_token):
    """A manage page carries its secret token in the URL: it never goes out in a Referer."""
    response = client.get(f"/tours/m/{tour_token}")
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", PERSONAL_PAGES)
def test_personal_pages_are_never_stored(client, path):
    """Pages with personal data (or the forms leading to it) tell every cache not to keep them."""
    response = client.get(path)
    assert response.status_code < 500
    assert "no-store" in response.headers["Cache-Control"]


def test_a_prospects_own_data_is_never_stored(client):
    """`/me/data` and `/me/data.json` as the signed-in prospect sees them: no-store."""
    sign_in(client, "carol@example.com")
    for path in ("/me/", "/me/data", "/me/data.json"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response.headers["Cache-Control"], path


def test_staff_pages_are_never_stored(client, auth):
    """A signed-in agent's pages are not kept by the browser or a proxy."""
    gen_staff("agent", email="agent@example.com")
    db.session.commit()
    assert auth.login("agent@example.com", STAFF_PASSWORD).status_code in {302, 303}
    response = client.get("/staff/")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


def test_a_tour_read_through_the_api_is_never_stored(client, tour_token):
    """GET /api/v1/tours/<token> answers a name, email and phone: no-store."""
    response = client.get(f"/api/v1/tours/{tour_token}")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


def test_listings_may_be_cached(client):
    """Public pages carry no personal data, so they are left cacheable."""
    assert "no-store" not in client.get("/listings/").headers.get("Cache-Control", "")
    assert "no-store" not in client.get("/api/v1/listings").headers.get("Cache-Control", "")


def test_no_hsts_outside_production(client):
    """Development and test serve plain http on loopback: no HSTS that would pin https."""
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_hsts_in_production(production_app_factory):
    """Production tells browsers to use https only, for a year."""
    app = production_app_factory()
    response = app.test_client().get("/healthz", base_url="https://homes.example.com")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_outbox_preview_may_be_framed_by_its_own_page(client):
    """The mail preview iframe keeps its sandbox policy and is framed only by our own page."""
    queue_email(to="pia@example.com", subject="Hi", text="hello", html="<p>hello</p>", kind="t")
    db.session.commit()
    listing = client.get("/dev/outbox").get_data(as_text=True)
    email_id = re.search(r"/dev/outbox/(\d+)", listing).group(1)
    response = client.get(f"/dev/outbox/{email_id}/html")
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "no-store" in response.headers["Cache-Control"]


def test_a_tile_server_is_allowed_for_images_only():
    """MAP_TILE_URL adds its host to img-src; scripts stay our own."""
    csp = content_security_policy("https://{s}.tile.example.org/{z}/{x}/{y}.png")
    assert "img-src 'self' https://*.tile.example.org" in csp
    assert "script-src 'self';" in csp


def test_headers_can_be_switched_off_for_the_benchmark(app_factory):
    """SECURITY_HEADERS_ENABLED=False (bench/ only) leaves responses bare."""
    app = app_factory(SECURITY_HEADERS_ENABLED=False)
    assert "Content-Security-Policy" not in app.test_client().get("/healthz").headers


def test_templates_have_no_inline_script_or_style():
    """The policy allows no inline code, so no page template may carry any (emails aside;
    JSON-LD is a data block browsers never run)."""
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>|<style\b|\sstyle=|\son[a-z]+=",
        re.I,
    )
    offenders = [
        str(path.relative_to(PACKAGE_DIR))
        for path in (PACKAGE_DIR / "templates").rglob("*.html")
        if "emails" not in path.parts and inline.search(path.read_text())
    ]
    assert offenders == []
