"""Staff sign-in, role checks, CSRF and the login rate limit."""

import pytest

from portal.extensions import db
from tests.factories import STAFF_PASSWORD, gen_staff

STAFF_PAGES = ["/staff/"]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_need_sign_in(client, path):
    """Anonymous visitors are sent to the sign-in page."""
    response = client.get(path)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["agent", "marketer", "admin"])
@pytest.mark.parametrize("path", STAFF_PAGES)
def test_every_staff_role_reaches_the_staff_start_page(client, auth, role, path):
    """Agents, marketers and admins all see the staff start page."""
    user = gen_staff(role)
    db.session.commit()
    assert auth.login(user.email, STAFF_PASSWORD).status_code == 302
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    ("role", "lands_on"),
    [("agent", "/staff/"), ("admin", "/staff/"), ("marketer", "/studio/")],
)
def test_sign_in_lands_where_the_role_works(client, auth, role, lands_on):
    """Agents and admins start at the day's tours; marketers in the studio."""
    user = gen_staff(role)
    db.session.commit()
    assert auth.login(user.email, STAFF_PASSWORD).headers["Location"].endswith(lands_on)
    assert client.get("/auth/login").headers["Location"].endswith(lands_on)


@pytest.mark.parametrize(("role", "shown"), [("agent", False), ("marketer", True), ("admin", True)])
def test_the_studio_is_in_the_menu_of_those_who_may_use_it(client, auth, role, shown):
    user = gen_staff(role)
    db.session.commit()
    auth.login(user.email, STAFF_PASSWORD)
    menu = client.get("/listings/").get_data(as_text=True).split('aria-label="Main"')[1]
    assert ('href="/studio/">Studio</a>' in menu.split("</nav>")[0]) is shown


def test_sign_in_with_wrong_password_is_refused(client, auth):
    """A wrong password gets a clear message and no session."""
    user = gen_staff("agent")
    db.session.commit()
    response = auth.login(user.email, "not the password")
    assert response.status_code == 401
    assert b"do not match an active staff account" in response.data
    assert client.get("/staff/").status_code == 302


def test_inactive_account_cannot_sign_in(client, auth):
    """A deactivated account is refused even with the right password."""
    user = gen_staff("agent")
    user.active = False
    db.session.commit()
    assert auth.login(user.email, STAFF_PASSWORD).status_code == 401


def test_email_is_matched_case_insensitively(client, auth):
    """Staff may type their email in any case."""
    user = gen_staff("marketer", email="Mia@Doorstep.example")
    db.session.commit()
    assert auth.login("MIA@doorstep.EXAMPLE", STAFF_PASSWORD).status_code == 302
    assert user.email == "mia@doorstep.example"


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/listings/", "/listings/"),
        ("https://evil.example/", "/staff/"),
        ("//evil.example", "/staff/"),
    ],
)
def test_next_redirect_stays_on_site(client, next_url, expected):
    """After sign-in only same-site `next` targets are followed."""
    user = gen_staff("agent")
    db.session.commit()
    response = client.post(
        f"/auth/login?next={next_url}", data={"email": user.email, "password": STAFF_PASSWORD}
    )
    assert response.headers["Location"].endswith(expected)


def test_logout_is_a_post(client, auth):
    """Signing out is a POST (a link prefetch must not sign anyone out)."""
    user = gen_staff("agent")
    db.session.commit()
    auth.login(user.email, STAFF_PASSWORD)
    assert client.get("/auth/logout").status_code == 405
    assert auth.logout().status_code == 303
    assert client.get("/staff/").status_code == 302


def test_over_long_input_is_a_field_error(client):
    """A 10 kB email is a validation error, never a crash."""
    response = client.post("/auth/login", data={"email": "a" * 10_000 + "@x.fi", "password": "x"})
    assert response.status_code == 400


def test_login_form_requires_csrf_token(app_factory):
    """With CSRF on (as in production) a form post without the token is rejected."""
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = gen_staff("agent")
        db.session.commit()
        response = app.test_client().post(
            "/auth/login", data={"email": user.email, "password": STAFF_PASSWORD}
        )
        assert response.status_code == 400
        assert b"nothing was saved" in response.data
        assert app.test_client().get("/staff/").status_code == 302
        db.session.rollback()


def test_login_is_rate_limited(app_factory):
    """Guessing passwords is slowed down: the 11th attempt in a minute gets 429."""
    app = app_factory(RATELIMIT_ENABLED=True)
    client = app.test_client()
    statuses = [
        client.post("/auth/login", data={"email": "x@y.fi", "password": "nope"}).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429
