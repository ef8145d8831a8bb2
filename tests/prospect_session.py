"""Signing prospects in through the real magic-link pages, and reading their emails."""

import re

import sqlalchemy as sa
from flask import current_app

from portal.extensions import db
from portal.models import OutboxEmail, Prospect
from portal.prospects.magic_links import issue_link

_LINK = re.compile(r"https?://[^\s\"<>]+/me/sign-in/[^\s\"<>]+")


def sign_in_link_from_outbox(email: str) -> str:
    """The URL in the newest sign-in email to ``email``."""
    message = db.session.scalar(
        sa.select(OutboxEmail)
        .where(OutboxEmail.to_address == email, OutboxEmail.kind == "prospect_sign_in")
        .order_by(OutboxEmail.id.desc())
        .limit(1)
    )
    assert message is not None, f"no sign-in email to {email}"
    return _LINK.search(message.text_body).group(0)


def sign_in(client, email: str) -> Prospect:
    """Sign ``client`` in as the prospect with ``email`` (created if new), via the link page."""
    issued = issue_link(email, secret_key=current_app.config["SECRET_KEY"])
    db.session.commit()
    response = client.post(f"/me/sign-in/{issued.token}")
    assert response.status_code == 303, response.get_data(as_text=True)
    return db.session.scalar(sa.select(Prospect).where(Prospect.email == email.lower()))


def give_consent(client, choice: str = "all") -> None:
    assert client.post("/me/consent", data={"choice": choice}).status_code == 303
