"""Password-less sign-in: signed, single-use, short-lived links sent by email.

The token is an itsdangerous signature over a random nonce. The nonce's row says
whom it signs in, when it expires and whether it was used, so a link works once
and a leaked, old link is useless. Opening the link (GET) only shows a button;
the POST consumes it, because mail scanners follow links in emails.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from portal.auth.services import normalise_email
from portal.extensions import db
from portal.mail.outbox import queue_email
from portal.mail.render import render_email
from portal.models import MagicLink, Prospect
from portal.models.base import utcnow
from portal.prospects.records import find_or_create_prospect

LINK_LIFETIME = timedelta(minutes=20)
SIGN_IN_EMAIL_KIND = "prospect_sign_in"
_SALT = "prospect-magic-link"


class LinkProblem(Exception):
    """Why a link cannot sign anyone in: ``invalid``, ``expired`` or ``used``."""

    def __init__(self, reason: str, email: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.email = email


@dataclass(frozen=True)
class IssuedLink:
    token: str
    link: MagicLink


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_SALT)


def issue_link(email: str, *, secret_key: str, now: datetime | None = None) -> IssuedLink:
    """Create a sign-in link for ``email`` (flushes, does not commit)."""
    now = now or utcnow()
    link = MagicLink(
        nonce=secrets.token_urlsafe(24),
        email=normalise_email(email),
        created_at=now,
        expires_at=now + LINK_LIFETIME,
    )
    db.session.add(link)
    db.session.flush()
    return IssuedLink(token=_serializer(secret_key).dumps({"n": link.nonce}), link=link)


def send_sign_in_link(
    email: str,
    *,
    secret_key: str,
    link_url: Callable[[str], str],
    now: datetime | None = None,
) -> IssuedLink:
    """Issue a link for ``email`` and queue the email that carries it (flushes).

    The prospect asked for this very message, so it goes out whatever their contact
    preferences say; the outbox sends it once the caller commits.

    :param link_url: the absolute URL that opens a token (the view builds it).
    """
    issued = issue_link(email, secret_key=secret_key, now=now)
    message = render_email(
        "prospect_sign_in",
        "Your Doorstep sign-in link",
        url=link_url(issued.token),
        minutes=int(LINK_LIFETIME.total_seconds() // 60),
    )
    queue_email(
        to=issued.link.email,
        subject=message.subject,
        text=message.text,
        html=message.html,
        kind=SIGN_IN_EMAIL_KIND,
    )
    return issued


def check_link(token: str, *, secret_key: str, now: datetime | None = None) -> MagicLink:
    """The unused, unexpired link behind ``token``, or ``LinkProblem``."""
    now = now or utcnow()
    try:
        payload = _serializer(secret_key).loads(
            token, max_age=int(LINK_LIFETIME.total_seconds()) + 60
        )
    except SignatureExpired as exc:
        payload = _serializer(secret_key).loads_unsafe(token)[1]
        link = _find(payload)
        raise LinkProblem("expired", link.email if link else None) from exc
    except BadSignature as exc:
        raise LinkProblem("invalid") from exc
    link = _find(payload)
    if link is None:
        raise LinkProblem("invalid")
    if link.used_at is not None:
        raise LinkProblem("used", link.email)
    if link.expires_at <= now:
        raise LinkProblem("expired", link.email)
    return link


def _find(payload) -> MagicLink | None:
    nonce = payload.get("n") if isinstance(payload, dict) else None
    if not isinstance(nonce, str):
        return None
    return db.session.scalar(sa.select(MagicLink).where(MagicLink.nonce == nonce))


def redeem_link(token: str, *, secret_key: str, now: datetime | None = None) -> Prospect:
    """Use the link once and return its prospect, created on first sign-in (flushes).

    The used marker is set with a conditional UPDATE, so two tabs racing on the same
    link sign in once and the loser gets ``LinkProblem("used")``.
    """
    now = now or utcnow()
    link = check_link(token, secret_key=secret_key, now=now)
    claimed = db.session.execute(
        sa.update(MagicLink)
        .where(MagicLink.id == link.id, MagicLink.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise LinkProblem("used", link.email)
    db.session.refresh(link)
    prospect = find_or_create_prospect(link.email, now=now)
    prospect.last_seen_at = now
    return prospect
