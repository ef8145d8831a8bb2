"""RFC 8058 one-click unsubscribe, as a mail client and a link scanner use it.

With CSRF on, as in production: the mail client POSTs ``List-Unsubscribe=One-Click`` to
the URL from the header with no cookie and no CSRF token, and that alone unsubscribes;
a GET (what scanners do) only shows a button.
"""

import re

import pytest

from portal.extensions import db
from portal.mail.outbox import queue_email
from portal.mail.sender import deliver_due
from portal.mail.smtp import SmtpTransport
from portal.models.base import utcnow
from portal.prospects.contact_links import email_footer
from portal.prospects.preferences import preferences_of
from tests.factories import gen_prospect
from tests.mail_server import smtp_mailbox

SECRET = "test-only-not-secret"


@pytest.fixture
def production_like(app, app_factory):
    """The app with CSRF protection on, and a prospect's unasked email delivered."""
    app = app_factory(WTF_CSRF_ENABLED=True)  # `app` cleans the tables afterwards
    with app.app_context(), smtp_mailbox() as (mailbox, config):
        prospect = gen_prospect(email="aino@example.com")
        url = email_footer(prospect, secret_key=SECRET).unsubscribe_url
        queue_email(
            to=prospect.email,
            subject="News",
            text=f"News.\n{url}",
            kind="news",
            transactional=False,
            unsubscribe_url=url,
        )
        db.session.commit()
        deliver_due(utcnow(), transport=SmtpTransport("127.0.0.1", config["MAIL_SMTP_PORT"]))
        [message] = mailbox.messages
        header = re.fullmatch(r"<(.+)>", message["List-Unsubscribe"]).group(1)
        yield app, prospect, header


def _path(url: str) -> str:
    return url.removeprefix("http://portal.test")


def test_the_one_click_post_unsubscribes_without_cookie_or_csrf_token(production_like):
    """The mail client's POST from the header, with nothing but the RFC 8058 body."""
    app, prospect, url = production_like
    client = app.test_client(use_cookies=False)
    response = client.post(
        _path(url),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "unsubscribed" in response.get_data(as_text=True)
    db.session.expire_all()
    assert preferences_of(db.session.merge(prospect)).unsubscribed_at is not None


def test_a_get_on_the_link_only_shows_a_button(production_like):
    """A scanner following the link changes nothing; the page offers a POST button."""
    app, prospect, url = production_like
    client = app.test_client(use_cookies=False)
    for _ in range(3):
        response = client.get(_path(url))
        assert response.status_code == 200
    page = response.get_data(as_text=True)
    form = re.search(r'<form method="post" action="([^"]+)">', page)
    assert form is not None
    assert form.group(1) == _path(url)
    assert re.search(r'<button type="submit"[^>]*>Unsubscribe</button>', page)
    assert "http-equiv" not in page  # no refresh that would submit on the scanner's behalf
    db.session.expire_all()
    assert preferences_of(db.session.merge(prospect)).unsubscribed_at is None


def test_a_forged_token_unsubscribes_nobody(production_like):
    """Only the signed token authorises the cookie-less POST."""
    app, prospect, url = production_like
    forged = url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB")
    response = app.test_client(use_cookies=False).post(
        _path(forged), data="List-Unsubscribe=One-Click"
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert preferences_of(db.session.merge(prospect)).unsubscribed_at is None


def test_other_prospect_forms_still_require_the_csrf_token(production_like):
    """The exemption is that one route: the contact preferences form is still protected."""
    app, _prospect, _url = production_like
    response = app.test_client(use_cookies=False).post("/me/contact", data={"channel": "none"})
    assert response.status_code == 400


def test_the_token_is_opaque_and_links_mailed_earlier_still_work(app, client):
    """The link carries a random key, not the prospect's id; an older signed link works."""
    from itsdangerous import URLSafeSerializer

    prospect = gen_prospect()
    db.session.commit()
    token = email_footer(prospect, secret_key=SECRET).unsubscribe_url.rsplit("/", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)
    assert token == email_footer(prospect, secret_key=SECRET).unsubscribe_url.rsplit("/", 1)[1]
    old = URLSafeSerializer(SECRET, salt="prospect-unsubscribe").dumps(prospect.id)
    assert client.post(f"/me/unsubscribe/{old}").status_code == 200
    assert preferences_of(prospect).unsubscribed_at is not None
