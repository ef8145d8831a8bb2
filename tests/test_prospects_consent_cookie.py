"""The consent choice is kept in its own cookie: signing in or out never asks again."""

from portal.extensions import db
from portal.prospects.current import CONSENT_COOKIE
from tests.factories import STAFF_PASSWORD, gen_staff

BANNER = 'id="consent-banner"'


def _banner_shown(client) -> bool:
    return BANNER in client.get("/").get_data(as_text=True)


def test_the_choice_sets_a_long_lived_cookie_of_its_own(client):
    """Choosing on the banner sets `doorstep_consent` for a year, HttpOnly, SameSite=Lax."""
    response = client.post("/me/consent", data={"choice": "necessary"})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(CONSENT_COOKIE))
    assert "Max-Age=31536000" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert not _banner_shown(client)


def test_the_choice_outlives_the_session_cookie(client):
    """A session that ends (cookie gone, sign-out elsewhere) does not bring the banner back."""
    client.post("/me/consent", data={"choice": "all"})
    client.delete_cookie("session")
    assert not _banner_shown(client)


def test_the_choice_holds_through_staff_sign_in_and_sign_out(client, auth):
    """A visitor who chose, then signs in as staff and out again, is not asked again."""
    staff = gen_staff()
    db.session.commit()
    client.post("/me/consent", data={"choice": "necessary"})
    assert auth.login(staff.email, STAFF_PASSWORD).status_code == 302
    assert not _banner_shown(client)
    auth.logout()
    client.delete_cookie("session")  # sign-out everywhere ends every copy of the session
    assert not _banner_shown(client)


def test_a_tampered_cookie_counts_as_no_choice(client):
    """Only the two known answers count; anything else shows the banner again."""
    client.set_cookie(CONSENT_COOKIE, "everything")
    assert _banner_shown(client)


def test_the_banner_is_in_the_flow_not_sticky(client):
    """The banner comes right after the header, before the main content, and the stylesheet
    gives it no fixed or sticky position (it can never cover the focused control)."""
    html = client.get("/").get_data(as_text=True)
    assert html.index(BANNER) < html.index('<main id="main"')
    css = client.get("/static/css/portal.css").get_data(as_text=True)
    banner_rules = [line for line in css.splitlines() if line.startswith(".consent-banner")]
    assert banner_rules
    assert not any("sticky" in r or "fixed" in r for r in banner_rules)
