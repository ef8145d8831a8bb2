"""Roles on every route: staff pages refuse visitors and prospects, staff roles are kept apart.

The routes are read from the application's own URL map, so a new staff page is
covered the day it is added.
"""

import re

import pytest

from portal import create_app
from portal.extensions import db
from tests.factories import STAFF_PASSWORD, gen_staff
from tests.prospect_session import sign_in


def _staff_routes() -> list[tuple[str, str]]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/staff"):
            continue
        path = re.sub(r"<any\(([a-z_]+)[^>]*>", r"\1", rule.rule)  # first allowed value
        path = re.sub(r"<(?:int:)?[a-z_]+>", "1", path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, path))
    return routes


STAFF_ROUTES = _staff_routes()
ADMIN_ONLY = re.compile(r"^/staff/properties/")


def _call(client, method: str, path: str):
    return client.open(path, method=method, data={})


def test_the_matrix_is_not_empty():
    """The staff area has routes to check (guards against a silently empty matrix)."""
    assert len(STAFF_ROUTES) >= 10


@pytest.mark.parametrize(("method", "path"), STAFF_ROUTES)
def test_anonymous_visitors_are_sent_to_sign_in(client, method, path):
    """No staff route answers an anonymous visitor with content or an action."""
    response = _call(client, method, path)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize(("method", "path"), STAFF_ROUTES)
def test_prospects_are_refused(client, method, path):
    """A signed-in prospect gets 403 on every staff route."""
    sign_in(client, "pia@example.com")
    assert _call(client, method, path).status_code == 403


@pytest.mark.parametrize(("method", "path"), [r for r in STAFF_ROUTES if ADMIN_ONLY.match(r[1])])
def test_property_settings_are_for_admins_only(client, auth, method, path):
    """Agents and marketers cannot change a property's tour settings."""
    for role in ("agent", "marketer"):
        user = gen_staff(role)
        db.session.commit()
        auth.login(user.email, STAFF_PASSWORD)
        assert _call(client, method, path).status_code == 403, role
        auth.logout()
