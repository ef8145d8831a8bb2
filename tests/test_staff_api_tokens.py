"""Staff API tokens: made once, stored hashed, refused when bad, revoked or expired."""

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import StaffApiToken
from portal.models.base import utcnow
from portal.staff.api_tokens import issue_token, revoke_token, tokens_of
from tests.conftest import FIXED_NOW
from tests.factories import STAFF_PASSWORD, gen_agent, gen_property, gen_staff
from tests.staff_helpers import check_schema


def _bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def test_cli_prints_a_token_once_and_stores_only_its_hash(app, runner):
    """`flask staff token EMAIL` prints a working token; the database holds its SHA-256."""
    agent = gen_agent(gen_property())
    db.session.commit()
    result = runner.invoke(args=["staff", "token", agent.email, "--name", "CRM sync"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    assert secret.startswith("dst_")
    token = db.session.scalar(sa.select(StaffApiToken))
    assert token.name == "CRM sync"
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.token_hash, token.prefix}
    assert secret.startswith(token.prefix)
    assert token.expires_at is None


def test_cli_expiry_and_unknown_email(app, runner):
    """--expires-days sets the expiry; an unknown address is a clear error."""
    agent = gen_staff("agent")
    db.session.commit()
    result = runner.invoke(args=["staff", "token", agent.email, "--expires-days", "30"])
    assert result.exit_code == 0
    token = db.session.scalar(sa.select(StaffApiToken))
    assert token.expires_at - token.created_at == timedelta(days=30)
    missing = runner.invoke(args=["staff", "token", "nobody@doorstep.example"])
    assert missing.exit_code != 0
    assert "No active staff account" in missing.output
    zero = runner.invoke(args=["staff", "token", agent.email, "--expires-days", "0"])
    assert zero.exit_code != 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffApiToken)) == 1


def test_a_token_acts_as_its_staff_user(client):
    """A valid token reaches the staff API as its user, with that user's properties."""
    prop = gen_property()
    agent = gen_agent(prop)
    issued = issue_token(agent, "script", now=utcnow())
    db.session.commit()
    response = client.get("/api/v1/staff/me", headers=_bearer(issued.secret))
    assert response.status_code == 200
    body = response.get_json()
    check_schema("StaffMe", body)
    assert body["id"] == agent.id
    assert body["property_ids"] == [prop.id]
    assert body["sees_personal_data"] is True
    assert body["token"]["prefix"] == issued.token.prefix


def test_a_marketer_token_sees_no_personal_data_and_admin_all_properties(client):
    """Tokens carry the role's visibility: marketers no people, admins every property."""
    marketer, admin = gen_staff("marketer"), gen_staff("admin")
    m = issue_token(marketer, "m", now=utcnow())
    a = issue_token(admin, "a", now=utcnow())
    db.session.commit()
    body = client.get("/api/v1/staff/me", headers=_bearer(m.secret)).get_json()
    assert body["sees_personal_data"] is False
    assert body["property_ids"] == []
    assert (
        client.get("/api/v1/staff/me", headers=_bearer(a.secret)).get_json()["property_ids"] is None
    )


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "token_missing"),
        ({"Authorization": "Basic dXNlcjpwdw=="}, "token_missing"),
        ({"Authorization": "Bearer "}, "token_missing"),
        ({"Authorization": "Bearer dst_notatoken"}, "token_invalid"),
        ({"Authorization": "Bearer " + "x" * 5000}, "token_invalid"),
    ],
)
def test_missing_or_unknown_tokens_are_401_json(client, headers, code):
    """No token or a stranger's guess: 401 JSON with WWW-Authenticate: Bearer."""
    response = client.get("/api/v1/staff/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["error"]["code"] == code


def test_revoked_expired_and_deactivated_tokens_are_401(client):
    """A revoked token, an expired one and one of a deactivated account stop working."""
    now = utcnow()
    agent = gen_staff("agent")
    revoked = issue_token(agent, "old", now=now)
    expired = issue_token(agent, "short", now=now - timedelta(days=3), expires_days=1)
    other = gen_staff("agent")
    inactive = issue_token(other, "gone", now=now)
    revoke_token(agent, revoked.token.id, now)
    other.active = False
    db.session.commit()
    for secret, code in [
        (revoked.secret, "token_revoked"),
        (expired.secret, "token_expired"),
        (inactive.secret, "account_inactive"),
    ]:
        response = client.get("/api/v1/staff/me", headers=_bearer(secret))
        assert response.status_code == 401, code
        assert response.get_json()["error"]["code"] == code
        assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_use_is_recorded_and_no_cookie_is_set(client, fixed_clock):
    """A call notes last_used_at and leaves no session cookie behind."""
    agent = gen_staff("agent")
    issued = issue_token(agent, "script", now=FIXED_NOW)
    db.session.commit()
    response = client.get("/api/v1/staff/me", headers=_bearer(issued.secret))
    assert "Set-Cookie" not in response.headers
    db.session.expire_all()
    assert db.session.get(StaffApiToken, issued.token.id).last_used_at >= FIXED_NOW


def test_a_staff_session_cookie_is_not_a_token(client, auth):
    """Signed in through the pages, the API still wants a token."""
    agent = gen_staff("agent")
    db.session.commit()
    auth.login(agent.email, STAFF_PASSWORD)
    assert client.get("/api/v1/staff/me").status_code == 401


def test_profile_lists_creates_once_and_revokes(client, auth):
    """The profile page shows a new secret once, lists tokens by prefix and revokes them."""
    agent = gen_staff("agent")
    db.session.commit()
    auth.login(agent.email, STAFF_PASSWORD)
    created = client.post("/staff/profile/tokens", data={"name": "Laptop", "expires_days": ""})
    assert created.status_code == 201
    assert created.headers["Cache-Control"] == "no-store"
    token = db.session.scalar(sa.select(StaffApiToken))
    page = created.get_data(as_text=True)
    secret = page.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert hashlib.sha256(secret.encode()).hexdigest() == token.token_hash
    listing = client.get("/staff/profile").get_data(as_text=True)
    assert token.prefix in listing
    assert secret not in listing
    assert client.get("/api/v1/staff/me", headers=_bearer(secret)).status_code == 200
    revoked = client.post(f"/staff/profile/tokens/{token.id}/revoke")
    assert revoked.status_code == 303
    assert client.get("/api/v1/staff/me", headers=_bearer(secret)).status_code == 401
    assert "Revoked" in client.get("/staff/profile").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"name": "a", "expires_days": "0"}, "expires_days"),
    ],
)
def test_bad_token_forms_store_nothing(client, auth, data, field):
    """A token without a name or with a bad expiry is refused with the message; no row."""
    agent = gen_staff("agent")
    db.session.commit()
    auth.login(agent.email, STAFF_PASSWORD)
    response = client.post("/staff/profile/tokens", data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert tokens_of(agent) == []


def test_nobody_revokes_another_users_token(client, auth):
    """Another user's token id is a 404 and stays usable."""
    owner, other = gen_staff("agent"), gen_staff("agent")
    issued = issue_token(owner, "mine", now=utcnow())
    db.session.commit()
    auth.login(other.email, STAFF_PASSWORD)
    assert client.post(f"/staff/profile/tokens/{issued.token.id}/revoke").status_code == 404
    db.session.expire_all()
    assert db.session.get(StaffApiToken, issued.token.id).revoked_at is None


def test_revoke_needs_csrf(app_factory):
    """With CSRF on, a revoke without the token is refused."""
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        owner = gen_staff("agent")
        issued = issue_token(owner, "mine", now=utcnow())
        db.session.commit()
        client = app.test_client()
        client.post("/auth/login", data={"email": owner.email, "password": STAFF_PASSWORD})
        response = client.post(f"/staff/profile/tokens/{issued.token.id}/revoke")
        assert response.status_code in (302, 400)
        assert db.session.get(StaffApiToken, issued.token.id).revoked_at is None
