"""Who may use each prospect route, and that no prospect ever reads another's data."""

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import Favourite
from tests.factories import STAFF_PASSWORD, gen_staff, gen_unit
from tests.prospect_session import give_consent, sign_in

# Every prospect route: (endpoint, method, path template, who may use it).
# "prospect": signed-in prospects only; "visitor": anonymous visitors and prospects,
# not staff; "public": anyone (sign-in, consent, beacon, token links).
ROUTES = [
    ("prospects.account", "GET", "/me/", "prospect"),
    ("prospects.account", "POST", "/me/", "prospect"),
    ("prospects.contact", "GET", "/me/contact", "prospect"),
    ("prospects.contact", "POST", "/me/contact", "prospect"),
    ("prospects.my_data", "GET", "/me/data", "prospect"),
    ("prospects.export_data", "GET", "/me/data.json", "prospect"),
    ("prospects.delete_account", "GET", "/me/delete", "prospect"),
    ("prospects.delete_account", "POST", "/me/delete", "prospect"),
    ("prospects.priorities", "GET", "/me/priorities", "visitor"),
    ("prospects.priorities", "POST", "/me/priorities", "visitor"),
    ("prospects.adopt", "POST", "/me/priorities/adopt/parks", "visitor"),
    ("prospects.saved", "GET", "/me/saved", "visitor"),
    ("prospects.save", "POST", "/me/saved/{unit}", "visitor"),
    ("prospects.unsave", "POST", "/me/saved/{unit}/remove", "visitor"),
    ("prospects.compare", "GET", "/me/compare?ids={unit}", "visitor"),
    ("prospects.sign_in", "GET", "/me/sign-in", "public"),
    ("prospects.sign_in", "POST", "/me/sign-in", "public"),
    ("prospects.link_sent", "GET", "/me/sign-in/sent", "public"),
    ("prospects.open_link", "GET", "/me/sign-in/not-a-token", "public"),
    ("prospects.use_link", "POST", "/me/sign-in/not-a-token", "public"),
    ("prospects.unsubscribe_link", "GET", "/me/unsubscribe/forged", "public"),
    ("prospects.unsubscribe_link", "POST", "/me/unsubscribe/forged", "public"),
    ("prospects.consent", "POST", "/me/consent", "public"),
    ("prospects.consent_settings", "GET", "/me/consent", "public"),
    ("prospects.signal", "POST", "/me/signals", "public"),
]
PRIVATE = [r for r in ROUTES if r[3] == "prospect"]
NOT_FOR_STAFF = [r for r in ROUTES if r[3] in ("prospect", "visitor")]
READS = [r for r in ROUTES if r[1] == "GET" and r[3] in ("prospect", "visitor")]


def _call(client, method, path, unit_id, data=None):
    return client.open(path.format(unit=unit_id), method=method, data=data or {})


def test_the_matrix_covers_every_prospect_route(app):
    """A new route under /me must be added to this access matrix."""
    registered = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("prospects.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert registered == {(endpoint, method) for endpoint, method, _, _ in ROUTES}


@pytest.mark.parametrize(("endpoint", "method", "path", "who"), PRIVATE)
def test_anonymous_visitors_are_sent_to_sign_in(client, endpoint, method, path, who):
    """Prospect-only routes redirect visitors to the magic-link sign-in."""
    unit = gen_unit()
    db.session.commit()
    response = _call(client, method, path, unit.id)
    assert response.status_code == 302
    assert "/me/sign-in" in response.headers["Location"]


@pytest.mark.parametrize(("endpoint", "method", "path", "who"), NOT_FOR_STAFF)
def test_staff_are_kept_out_of_prospect_routes(client, auth, endpoint, method, path, who):
    """Staff get 403: they have no prospect data, and must not mix theirs in."""
    unit = gen_unit()
    user = gen_staff("agent")
    db.session.commit()
    auth.login(user.email, STAFF_PASSWORD)
    assert _call(client, method, path, unit.id).status_code == 403


@pytest.fixture
def two_prospects(app_factory, app):
    """Pia (with personal data everywhere) and Olli, each with their own browser."""
    unit, other = gen_unit(), gen_unit()
    db.session.commit()
    pia, olli = app.test_client(), app.test_client()
    give_consent(pia)
    sign_in(pia, "pia@example.com")
    pia.post(
        "/me/priorities",
        data={"importance_pets": "must_have", "notes": "PIA-SECRET-NOTE", "budget_max": "1234"},
    )
    pia.post(f"/me/saved/{unit.id}")
    pia.post("/me/signals", data={"kind": "commute_checked", "topic": "PIA-OFFICE"})
    pia.post("/me/contact", data={"channel": "email", "pace": "on_request"})
    sign_in(olli, "olli@example.com")
    olli.post(f"/me/saved/{other.id}")
    return pia, olli, unit


@pytest.mark.parametrize(("endpoint", "method", "path", "who"), READS)
def test_a_prospect_never_sees_another_prospects_data(two_prospects, endpoint, method, path, who):
    """Olli's pages show none of Pia's email, notes, destinations, budget or saved homes."""
    _, olli, pia_unit = two_prospects
    response = _call(olli, method, path, 0)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    secrets = (
        "pia@example.com",
        "PIA-SECRET-NOTE",
        "PIA-OFFICE",
        "1234",
        'selected value="on_request"',
    )
    for secret in secrets:
        assert secret not in body
    if endpoint != "prospects.compare":
        assert f'/listings/{pia_unit.id}"' not in body


def test_a_prospect_cannot_change_another_prospects_saved_homes(two_prospects):
    """Olli unsaving Pia's home changes nothing of Pia's."""
    _, olli, pia_unit = two_prospects
    olli.post(f"/me/saved/{pia_unit.id}/remove")
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Favourite.id)).where(Favourite.unit_id == pia_unit.id)
        )
        == 1
    )


def test_a_visitor_session_never_sees_an_accounts_data(two_prospects, app):
    """A fresh anonymous browser sees no one's saved homes or priorities."""
    _, _, pia_unit = two_prospects
    stranger = app.test_client()
    assert f"/listings/{pia_unit.id}" not in stranger.get("/me/saved").get_data(as_text=True)
    assert "PIA-SECRET-NOTE" not in stranger.get("/me/priorities").get_data(as_text=True)


def test_prospect_forms_require_csrf(app_factory, app):
    """With CSRF on, prospect form posts without the token change nothing."""
    csrf_app = app_factory(WTF_CSRF_ENABLED=True)
    with csrf_app.app_context():
        client = csrf_app.test_client()
        assert client.post("/me/priorities", data={"importance_pets": "nice"}).status_code == 400
        assert client.post("/me/consent", data={"choice": "all"}).status_code == 400
        assert client.post("/me/sign-in", data={"email": "pia@example.com"}).status_code == 400
        db.session.rollback()
