"""Manage links: the secret token in each tour's link, and the tour behind a token.

The token is the only key a visitor has (no account needed), so it carries 128 random
bits and never a numeric id; malformed tokens are refused before any query.

The booker sees the token at once (the booking page redirects to it), so it proves
nothing about the email address. The address code does: it is only ever in the
emailed confirmation link, an HMAC of the tour under the app's secret key.
"""

import hashlib
import hmac
import secrets

import sqlalchemy as sa
from flask import abort

from portal.extensions import db
from portal.models import Tour

TOKEN_BYTES = 16
TOKEN_LENGTH = 22  # len(secrets.token_urlsafe(TOKEN_BYTES))
INVALID_LINK = "This tour link is not valid. Check the link in your email."


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def tour_by_token(token: str) -> Tour | None:
    """The tour behind a manage link; malformed tokens never reach the database."""
    if len(token) != TOKEN_LENGTH or not token.replace("-", "").replace("_", "").isalnum():
        return None
    return db.session.scalar(sa.select(Tour).where(Tour.token == token))


def tour_or_404(token: str, description: str = INVALID_LINK) -> Tour:
    """The tour behind ``token`` for a page or API endpoint, else a 404 with ``description``."""
    tour = tour_by_token(token)
    if tour is None:
        abort(404, description=description)
    return tour


def address_code(tour: Tour, secret_key: str) -> str:
    """The code in the emailed link that proves the reader has the tour's mailbox."""
    message = f"tour-address:{tour.uid}:{tour.email_normalised}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()[:32]


def address_code_matches(tour: Tour, code: str, secret_key: str) -> bool:
    return hmac.compare_digest(address_code(tour, secret_key), code)
