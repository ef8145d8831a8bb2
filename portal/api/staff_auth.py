"""Bearer tokens for the staff JSON API: the token's staff user, with the pages' visibility.

``staff_token_required`` reads ``Authorization: Bearer <token>``; a missing, unknown,
revoked or expired token, or a deactivated account, answers 401 JSON with
``WWW-Authenticate: Bearer``. Otherwise the token's ``StaffUser`` is the staff user of
the request (``current_staff()``), and every query goes through
``portal.staff.visibility`` exactly as the staff pages do. No session cookie is read or
written: a browser's staff session gives no access to these routes.
"""

from collections.abc import Callable
from functools import wraps

from flask import g, request

from portal.errors import api_error
from portal.extensions import db
from portal.models import StaffUser
from portal.models.base import utcnow
from portal.staff.api_tokens import note_use, token_for_secret

_REALM = 'Bearer realm="staff-api"'


def _refused(code: str, message: str):
    body, status = api_error(401, code, message)
    header = f'{_REALM}, error="invalid_token"' if code != "token_missing" else _REALM
    return body, status, {"WWW-Authenticate": header}


def bearer_secret() -> str | None:
    """The token of the request's ``Authorization: Bearer`` header, if it has one."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def staff_token_required(view: Callable) -> Callable:
    """Run ``view`` as the staff user of the request's bearer token, or answer 401."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        secret = bearer_secret()
        if secret is None:
            return _refused("token_missing", "Send Authorization: Bearer <token>.")
        token = token_for_secret(secret)
        now = utcnow()
        if token is None:
            return _refused("token_invalid", "This token is not known.")
        if token.revoked_at is not None:
            return _refused("token_revoked", "This token was revoked.")
        if not token.usable_at(now):
            return _refused("token_expired", "This token has expired.")
        if not token.staff.is_active:
            return _refused("account_inactive", "The token's staff account is deactivated.")
        note_use(token, now)
        # Committed here, so that a read-only endpoint still records the use.
        db.session.commit()
        g.staff_user = token.staff
        g.staff_token = token
        return view(*args, **kwargs)

    wrapped.staff_token = True  # read by the access-matrix tests
    return wrapped


def current_staff() -> StaffUser:
    """The staff user of a request that passed ``staff_token_required``."""
    return g.staff_user
