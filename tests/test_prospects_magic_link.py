"""Password-less sign-in: signed, single-use, short-lived links, and the session merge."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app

from portal.extensions import db
from portal.models import (
    BrowsingSignal,
    Favourite,
    MagicLink,
    OutboxEmail,
    PriorityVersion,
    Prospect,
)
from portal.models.base import utcnow
from portal.prospects import magic_links
from portal.prospects.magic_links import (
    LINK_LIFETIME,
    SIGN_IN_EMAIL_KIND,
    issue_link,
    send_sign_in_link,
)
from portal.prospects.priorities import current_priorities
from tests.factories import gen_prospect, gen_staff, gen_unit
from tests.prospect_session import give_consent, sign_in, sign_in_link_from_outbox

NOW = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_sign_in_by_emailed_link(client):
    """Asking for a link queues an email; opening it and confirming signs the prospect in."""
    response = client.post("/me/sign-in", data={"email": "Pia@Example.com"})
    assert response.status_code == 303
    assert "/me/sign-in/sent" in response.headers["Location"]
    link = _path(sign_in_link_from_outbox("pia@example.com"))
    page = client.get(link)
    assert page.status_code == 200
    assert "Sign in as pia@example.com" in page.get_data(as_text=True)
    assert client.get("/me/").status_code == 302  # opening the link alone signs nobody in
    assert client.post(link).status_code == 303
    assert client.get("/me/").status_code == 200
    prospect = db.session.scalar(sa.select(Prospect).where(Prospect.email == "pia@example.com"))
    assert prospect.stage == "prospect"


def test_sign_in_email_is_in_the_development_outbox(client):
    """On `make run` the email shows up at /dev/outbox."""
    client.post("/me/sign-in", data={"email": "oskari@example.com"})
    assert "Your Doorstep sign-in link" in client.get("/dev/outbox").get_data(as_text=True)


def test_a_link_works_once(client):
    """The second use of a link gets a clear message and a way to get a new one."""
    issued = issue_link("pia@example.com", secret_key=current_app.config["SECRET_KEY"])
    db.session.commit()
    assert client.post(f"/me/sign-in/{issued.token}").status_code == 303
    client.post("/auth/logout")
    again = client.post(f"/me/sign-in/{issued.token}")
    assert again.status_code == 410
    page = again.get_data(as_text=True)
    assert "already used" in page
    assert "Email me a new link" in page
    assert 'value="pia@example.com"' in page
    assert client.get(f"/me/sign-in/{issued.token}").status_code == 410


def test_an_expired_link_is_refused_with_a_new_link_button(client, monkeypatch):
    """A link older than its lifetime is refused and offers a fresh one."""
    monkeypatch.setattr(magic_links, "utcnow", lambda: NOW)  # the clock the pages read
    issued = issue_link(
        "pia@example.com",
        secret_key=current_app.config["SECRET_KEY"],
        now=NOW - LINK_LIFETIME - timedelta(minutes=1),
    )
    db.session.commit()
    response = client.post(f"/me/sign-in/{issued.token}")
    assert response.status_code == 410
    assert "has expired" in response.get_data(as_text=True)
    assert "Email me a new link" in response.get_data(as_text=True)
    assert client.get("/me/").status_code == 302


def test_a_tampered_link_is_rejected(client):
    """Changing one character of the token makes it invalid; nothing is used up."""
    issued = issue_link("pia@example.com", secret_key=current_app.config["SECRET_KEY"])
    db.session.commit()
    tampered = issued.token[:-2] + ("AA" if not issued.token.endswith("AA") else "BB")
    response = client.post(f"/me/sign-in/{tampered}")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)
    assert db.session.get(MagicLink, issued.link.id).used_at is None
    assert client.get("/me/sign-in/not-a-token").status_code == 400


def test_a_link_signed_with_another_key_is_rejected(client):
    """A token forged with a different secret is not accepted."""
    issued = issue_link("pia@example.com", secret_key="someone else's key")
    db.session.commit()
    assert client.post(f"/me/sign-in/{issued.token}").status_code == 400


def test_bad_email_is_a_field_error(client):
    """An invalid address is a field error and sends nothing."""
    response = client.post("/me/sign-in", data={"email": "not an address"})
    assert response.status_code == 400
    assert "error-text" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(MagicLink.id))) == 0


def test_signing_in_merges_the_anonymous_session(client):
    """Favourites, priorities and browsing from before sign-in are kept in the account."""
    unit, other = gen_unit(), gen_unit()
    existing = gen_prospect(email="pia@example.com")
    db.session.add(Favourite(prospect_id=existing.id, unit_id=other.id))
    db.session.commit()
    give_consent(client)
    client.post(f"/me/saved/{unit.id}")
    client.post(f"/me/saved/{other.id}")  # already saved on the account: kept once
    client.post("/me/priorities", data={"importance_pets": "must_have", "budget_max": "1500"})
    client.post(
        "/me/signals", data={"kind": "category_expanded", "topic": "parks", "unit_id": unit.id}
    )
    prospect = sign_in(client, "pia@example.com")
    assert prospect.id == existing.id
    saved = db.session.scalars(
        sa.select(Favourite.unit_id).where(Favourite.prospect_id == prospect.id)
    )
    assert sorted(saved) == sorted([unit.id, other.id])
    assert current_priorities(prospect).importance == {"pets": "must_have"}
    assert current_priorities(prospect).budget_max == 1500
    signals = db.session.scalars(
        sa.select(BrowsingSignal.kind).where(BrowsingSignal.prospect_id == prospect.id)
    ).all()
    assert "category_expanded" in signals
    orphans = db.session.scalar(
        sa.select(sa.func.count(PriorityVersion.id)).where(PriorityVersion.visitor_id.is_not(None))
    )
    assert orphans == 0


def test_prospects_cannot_enter_staff_pages(client):
    """A signed-in prospect gets 403 on staff routes."""
    sign_in(client, "pia@example.com")
    assert client.get("/staff/").status_code == 403


def test_staff_stay_password_based(client, auth):
    """Staff sign-in is unchanged, and staff cannot use prospect-only pages."""
    from tests.factories import STAFF_PASSWORD

    user = gen_staff("agent")
    db.session.commit()
    assert auth.login(user.email, STAFF_PASSWORD).status_code == 302
    assert client.get("/me/").status_code == 403
    assert client.get("/me/priorities").status_code == 403


def test_erased_prospects_cannot_sign_in_with_an_old_session(client):
    """After erasure the remembered session no longer loads the account."""
    prospect = sign_in(client, "pia@example.com")
    prospect.erased_at = utcnow()
    db.session.commit()
    assert client.get("/me/").status_code == 302


def test_sign_in_requests_are_rate_limited_per_email(app, app_factory):
    """The fourth link for the same email within 15 minutes is refused (429)."""
    app = app_factory(RATELIMIT_ENABLED=True)
    with app.app_context():
        statuses = [
            app.test_client().post("/me/sign-in", data={"email": "pia@example.com"}).status_code
            for _ in range(4)
        ]
        db.session.rollback()
    assert statuses == [303, 303, 303, 429]


def test_sign_in_requests_are_rate_limited_per_address(app, app_factory):
    """One address asking for links to many emails is stopped after five a minute."""
    app = app_factory(RATELIMIT_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        statuses = [
            client.post("/me/sign-in", data={"email": f"p{n}@example.com"}).status_code
            for n in range(6)
        ]
        page = client.post("/me/sign-in", data={"email": "x@example.com"}).get_data(as_text=True)
        db.session.rollback()
    assert statuses == [303] * 5 + [429]
    assert "Too many sign-in links" in page


def test_sign_in_returns_to_the_page_that_asked(client):
    """A visitor sent to sign in from "my data" lands there after using the link."""
    response = client.get("/me/data")
    assert response.status_code == 302
    sign_in_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="/me/data"' in sign_in_page
    client.post("/me/sign-in", data={"email": "pia@example.com", "next": "/me/data"})
    link = _path(sign_in_link_from_outbox("pia@example.com"))
    assert client.post(link).headers["Location"].endswith("/me/data")


def test_a_foreign_next_is_ignored(client):
    """`next` pointing off-site falls back to the account page."""
    client.post("/me/sign-in", data={"email": "pia@example.com", "next": "https://evil.example/"})
    link = _path(sign_in_link_from_outbox("pia@example.com"))
    assert client.post(link).headers["Location"].endswith("/me/")


def test_send_sign_in_link_queues_one_email_with_the_link(app):
    """The service issues a link and queues its email; nothing leaves before the commit."""
    issued = send_sign_in_link(
        "Pia@Example.com",
        secret_key="k",
        link_url=lambda token: f"https://portal.test/me/sign-in/{token}",
        now=NOW,
    )
    [email] = db.session.scalars(sa.select(OutboxEmail)).all()
    assert (email.to_address, email.kind) == ("pia@example.com", SIGN_IN_EMAIL_KIND)
    assert f"https://portal.test/me/sign-in/{issued.token}" in email.text_body
    assert "20 minutes" in email.text_body
    assert issued.link.expires_at == NOW + LINK_LIFETIME
    db.session.rollback()
    assert db.session.scalars(sa.select(OutboxEmail)).all() == []
