"""Every email ends with links to the contact preferences and to unsubscribe, on the base URL."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import current_app
from markupsafe import escape

from portal.extensions import db
from portal.mail.outbox import queue_email
from portal.mail.render import render_email
from portal.models import OutboxEmail, Tour
from portal.prospects.contact_links import email_footer, unsubscribe_url
from portal.prospects.preferences import preferences_of
from tests.factories import gen_agent, gen_prospect, gen_tour_type, gen_unit
from tests.prospect_session import sign_in
from tests.tours_helpers import iso, local_slot

EMAIL_TEMPLATES = Path(__file__).resolve().parent.parent / "portal" / "templates" / "emails"
PREFERENCES = "http://portal.test/me/contact"


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _email(kind: str) -> OutboxEmail:
    return db.session.scalar(
        sa.select(OutboxEmail).where(OutboxEmail.kind == kind).order_by(OutboxEmail.id.desc())
    )


def _parts_link_to(email: OutboxEmail, url: str) -> bool:
    return url in email.text_body and str(escape(url)) in email.html_body


@pytest.mark.parametrize("name", sorted(p.stem for p in EMAIL_TEMPLATES.glob("[!_]*.txt")))
def test_every_email_template_ends_with_the_footer(name):
    """Each text part includes the footer and each HTML part extends the base with its footer."""
    assert '{% include "emails/_footer.txt" %}' in (EMAIL_TEMPLATES / f"{name}.txt").read_text()
    html = (EMAIL_TEMPLATES / f"{name}.html").read_text()
    assert html.startswith('{% extends "emails/_base.html" %}')
    assert "{% block footer %}" not in html  # the links can be reworded, never dropped


def test_sign_in_email_to_a_new_address_links_the_preferences(client):
    """An address with no account yet gets the preferences page (sign in, then unsubscribe)."""
    client.post("/me/sign-in", data={"email": "new@example.com"})
    email = _email("prospect_sign_in")
    assert _parts_link_to(email, PREFERENCES)
    assert "unsubscribe" in email.text_body.lower()
    assert "unsubscribe" in email.html_body.lower()


def test_sign_in_email_to_a_prospect_links_their_one_click_unsubscribe(client):
    """A known prospect's sign-in email carries their own unsubscribe link, which works."""
    prospect = gen_prospect(email="pia@example.com")
    db.session.commit()
    client.post("/me/sign-in", data={"email": "pia@example.com"})
    email = _email("prospect_sign_in")
    link = unsubscribe_url(prospect, secret_key=_secret())
    assert link.startswith("http://portal.test/me/unsubscribe/")
    assert _parts_link_to(email, link)
    assert _parts_link_to(email, PREFERENCES)
    assert client.post(urlsplit(link).path).status_code == 200
    assert preferences_of(prospect).unsubscribed_at is not None


def test_tour_emails_link_the_bookers_unsubscribe(client, fixed_clock):
    """The confirmation of a booked tour ends with the booker's preferences and unsubscribe."""
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
    assert client.post("/api/v1/tours", json=body).status_code == 201
    email = _email("tour_confirmed")
    prospect = db.session.scalar(sa.select(Tour)).prospect
    assert _parts_link_to(email, unsubscribe_url(prospect, secret_key=_secret()))
    assert _parts_link_to(email, PREFERENCES)


def test_an_erased_prospect_gets_no_unsubscribe_link(app):
    """After erasure there is no account to unsubscribe; only the preferences page is linked."""
    prospect = gen_prospect()
    prospect.erased_at = prospect.created_at
    footer = email_footer(prospect, secret_key=_secret())
    assert footer.unsubscribe_url is None
    assert footer.preferences_url == PREFERENCES


def test_a_message_nobody_asked_for_shows_the_link_its_header_names(app):
    """Rendered with the footer and queued with its link, header and footer agree."""
    prospect = gen_prospect()
    footer = email_footer(prospect, secret_key=_secret())
    message = render_email("prospect_sign_in", "News", footer=footer, url="x", minutes=20)
    email = queue_email(
        to=prospect.email,
        subject=message.subject,
        text=message.text,
        html=message.html,
        kind="follow_up",
        transactional=False,
        unsubscribe_url=footer.unsubscribe_url,
    )
    header = re.fullmatch(r"<(.+)>", email.headers["List-Unsubscribe"]).group(1)
    assert header == footer.unsubscribe_url
    assert _parts_link_to(email, header)


@pytest.mark.parametrize("missing_from", ["text", "html"])
def test_a_header_link_the_message_does_not_show_is_refused(app, missing_from):
    """An unsubscribe header whose link the reader cannot see is refused; nothing is queued."""
    url = "http://portal.test/me/unsubscribe/abc"
    parts = {"text": f"Unsubscribe: {url}", "html": f'<a href="{url}">Unsubscribe</a>'}
    parts[missing_from] = "No link here."
    with pytest.raises(ValueError, match="must be the same"):
        queue_email(
            to="pia@example.com",
            subject="News",
            kind="follow_up",
            transactional=False,
            unsubscribe_url=url,
            **parts,
        )
    assert db.session.scalars(sa.select(OutboxEmail)).all() == []


def test_contact_page_offers_unsubscribe(client):
    """The preferences page the footer links to can also stop everything in one click."""
    prospect = sign_in(client, "pia@example.com")
    page = client.get("/me/contact").get_data(as_text=True)
    action = re.search(r'action="(/me/unsubscribe/[^"]+)"', page).group(1)
    assert client.post(action).status_code == 200
    assert preferences_of(prospect).unsubscribed_at is not None
    assert "Unsubscribe from everything else" not in client.get("/me/contact").get_data(
        as_text=True
    )
