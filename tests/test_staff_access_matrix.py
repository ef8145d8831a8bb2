"""Every /staff and /api/v1/staff route, read from the URL map, for every kind of caller.

Callers: anonymous, a signed-in prospect, an agent of property A, an agent of property
B, a marketer and an admin. Path ids point at property A's objects (its tour, its
prospect, agent A's token and override), so agent B must get 404 on every route that
names one: no hint that they exist. Who may use a route is read from the route itself
(``roles_required`` notes its roles; ``staff_token_required`` marks API routes), so a
new staff page or endpoint is in the matrix the day it is added.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from werkzeug.security import generate_password_hash

from portal import create_app
from portal.extensions import db
from portal.models import AgentOverride
from portal.models.base import utcnow
from portal.staff.api_tokens import issue_token
from tests.factories import STAFF_PASSWORD, gen_agent, gen_property, gen_staff
from tests.prospect_session import sign_in
from tests.staff_helpers import gen_site

ROLES = ("anonymous", "prospect", "agent_a", "agent_b", "marketer", "admin")
# Path arguments naming an object of property A: agent B sees none (admins see all).
OWNED = {"tour_id", "prospect_id", "token_id", "override_id"}
# ... and those naming agent A's own things: nobody else sees them, admins included.
PERSONAL = {"token_id", "override_id"}
# Routes naming rows this world does not build (another property's holiday, a
# follow-up message): refused with 404 like any unknown id, never with a 5xx.
# tests/test_staff_followups.py covers those routes with real messages.
UNBUILT = {"holiday_id", "type_id", "staff_id", "message_id"}


@dataclass(frozen=True)
class Route:
    method: str
    rule: str
    endpoint: str
    args: frozenset[str]
    roles: tuple[str, ...] | None  # None: a token route (staff_token_required)

    @property
    def is_api(self) -> bool:
        return self.rule.startswith("/api/")

    def __str__(self) -> str:
        return f"{self.method} {self.rule}"


def _routes() -> list[Route]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(("/staff", "/api/v1/staff")):
            continue
        view = app.view_functions[rule.endpoint]
        roles = getattr(view, "staff_roles", None)
        if rule.rule.startswith("/api/"):
            assert getattr(view, "staff_token", False), f"{rule.rule} takes no staff token"
        else:
            assert roles is not None, f"{rule.rule} has no roles_required"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append(Route(method, rule.rule, rule.endpoint, frozenset(rule.arguments), roles))
    return routes


ROUTES = _routes()


def test_the_matrix_covers_the_staff_area_and_api():
    """Pages and API routes are both there (guards against a silently empty matrix)."""
    assert len([r for r in ROUTES if not r.is_api]) >= 20
    assert len([r for r in ROUTES if r.is_api]) >= 4


# One cheap hash for every account of the matrix: ~200 worlds would otherwise spend
# their time in the password hashing of sign-up and sign-in.
QUICK_HASH = generate_password_hash(STAFF_PASSWORD, method="pbkdf2:sha256:1000")


@pytest.fixture
def world(app, monkeypatch):
    """Property A with its agent, a tour that took place and its prospect; agent B of B."""
    monkeypatch.setattr("portal.models.staff.generate_password_hash", lambda _: QUICK_HASH)
    site = gen_site(starts_at=utcnow() - timedelta(minutes=40))
    agent_b = gen_agent(gen_property())
    marketer, admin = gen_staff("marketer"), gen_staff("admin")
    override = AgentOverride(staff_id=site.agent.id, day=date(2030, 1, 2), kind="off")
    db.session.add(override)
    token = issue_token(site.agent, "a", now=utcnow())
    secrets = {
        "agent_a": token.secret,
        "agent_b": issue_token(agent_b, "b", now=utcnow()).secret,
        "marketer": issue_token(marketer, "m", now=utcnow()).secret,
        "admin": issue_token(admin, "x", now=utcnow()).secret,
    }
    db.session.commit()
    values = {
        "tour_id": site.tour.id,
        "prospect_id": site.prospect.id,
        "token_id": token.token.id,
        "override_id": override.id,
        "property_id": site.prop.id,
        "unit_id": site.units[0].id,
    }
    users = {"agent_a": site.agent, "agent_b": agent_b, "marketer": marketer, "admin": admin}
    return {"values": values, "users": users, "secrets": secrets, "site": site}


def _path(route: Route, values: dict) -> str:
    path = re.sub(r"<any\(([a-z_]+)[^>]*>", r"\1", route.rule)  # the first allowed value
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: str(values.get(m.group(1), 1)), path)


def _call(client, route: Route, path: str, headers: dict):
    if route.is_api and route.method == "POST":
        return client.open(path, method=route.method, json={}, headers=headers)
    return client.open(path, method=route.method, data={}, headers=headers)


def _caller(client, auth, world, role: str) -> dict:
    """Sign ``role`` in (pages) and give its bearer header (API)."""
    if role == "prospect":
        sign_in(client, "pia@example.com")
        return {}
    if role == "anonymous":
        return {}
    auth.login(world["users"][role].email, STAFF_PASSWORD)
    return {"Authorization": f"Bearer {world['secrets'][role]}"}


def _allowed(route: Route, role: str) -> bool:
    if role in ("anonymous", "prospect"):
        return False
    if route.roles is None:
        return True
    return role == "admin" or role.removeprefix("_a").split("_")[0] in route.roles


CASES = [(route, role) for route in ROUTES for role in ROLES]


@pytest.mark.parametrize(("route", "role"), CASES, ids=[f"{r} {role}" for r, role in CASES])
def test_access(client, auth, world, route, role):
    """Each caller gets what their role allows, and agent B never sees A's objects."""
    headers = _caller(client, auth, world, role)
    api_headers = headers if route.is_api else {}
    response = _call(client, route, _path(route, world["values"]), api_headers)
    status = response.status_code
    assert status < 500, status
    if role == "anonymous" or role == "prospect":
        if route.is_api:
            assert status == 401
        elif role == "anonymous":
            assert status == 302
            assert "/auth/login" in response.headers["Location"]
        else:
            assert status == 403
        return
    if route.is_api:
        _api_expectation(route, role, status)
        return
    if not _allowed(route, role):
        assert status == 403
        return
    if role == "agent_b" and route.args & OWNED:
        assert status == 404, "agent B must not see property A's objects"
        return
    if role != "agent_a" and route.args & PERSONAL:
        assert status == 404, "only agent A sees agent A's own tokens and hours"
        return
    if route.args & UNBUILT:
        assert status in (200, 303, 400, 404, 422)
        return
    if route.method == "GET":
        assert status == 200
    else:
        assert status not in (403, 404)


def _api_expectation(route: Route, role: str, status: int) -> None:
    people = "/prospects" in route.rule or "/tours" in route.rule
    if role == "marketer" and people and route.args:
        assert status in (403, 404)  # no personal data, and no tour is theirs
    elif role == "marketer" and people:
        assert status in (200, 403)  # an empty list or a refusal: never anyone's data
    elif role == "agent_b" and route.args & OWNED:
        assert status == 404
    elif route.method == "GET":
        assert status == 200
    else:
        assert status not in (401, 403, 404)


def test_agent_b_lists_none_of_as_prospects(client, auth, world):
    """Agent B's prospects page and API list leave A's prospect out."""
    email = world["site"].prospect.email
    auth.login(world["users"]["agent_b"].email, STAFF_PASSWORD)
    assert email not in client.get("/staff/prospects").get_data(as_text=True)
    body = client.get(
        "/api/v1/staff/prospects",
        headers={"Authorization": f"Bearer {world['secrets']['agent_b']}"},
    ).get_json()
    assert body["items"] == []
