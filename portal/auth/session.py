"""Who is signed in, how long a staff session lasts, and the role checks of staff routes.

A staff session is the signed cookie plus three facts written into it at sign-in: the
account's session version and the times of sign-in and of the latest request. Every
request compares them with the account and the clock (``check_staff_session``): a
raised version (sign-out, a new password, see ``StaffUser.end_sessions``) ends every
copy of the cookie, and so does ``STAFF_SESSION_IDLE_MINUTES`` without a request or
``STAFF_SESSION_MAX_HOURS`` since sign-in. Prospects' sessions are not staff sessions.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps

from flask import Flask, abort, current_app, flash, session
from flask_login import current_user, login_required, login_user, logout_user

from portal.extensions import db
from portal.models import Prospect, StaffUser
from portal.models.base import utcnow

STAFF_SESSION_KEY = "staff_session"
_USER_ID_KEY = "_user_id"  # where Flask-Login keeps the signed-in id
# The latest-request time is rewritten at most this often, not on every request.
_SEEN_PRECISION = timedelta(minutes=1)
_ENDED_MESSAGES = {
    "ended": "You were signed out. Please sign in again.",
    "idle": "You were signed out after a while without activity. Please sign in again.",
    "expired": "Your session reached its time limit. Please sign in again.",
}


@dataclass(frozen=True)
class SessionLimits:
    idle: timedelta
    absolute: timedelta

    @classmethod
    def from_config(cls, config: Mapping) -> "SessionLimits":
        return cls(
            idle=timedelta(minutes=config["STAFF_SESSION_IDLE_MINUTES"]),
            absolute=timedelta(hours=config["STAFF_SESSION_MAX_HOURS"]),
        )


def load_user(user_id: str) -> StaffUser | Prospect | None:
    """Staff sign in as "staff:<id>", prospects (magic links) as "prospect:<id>"."""
    kind, _, raw_id = user_id.partition(":")
    model = {"staff": StaffUser, "prospect": Prospect}.get(kind)
    if model is None or not raw_id.isdigit():
        return None
    user = db.session.get(model, int(raw_id))
    return user if user is not None and user.is_active else None


def staff_session_problem(
    stored: object, user: StaffUser | None, now: datetime, limits: SessionLimits
) -> str | None:
    """Why a stored staff session no longer holds: "ended" (signed out, new password,
    account gone or deactivated), "idle" or "expired"; None while it holds."""
    if user is None or not isinstance(stored, dict):
        return "ended"
    version, since, seen = stored.get("v"), stored.get("since"), stored.get("seen")
    if not all(type(value) is int for value in (version, since, seen)):
        return "ended"
    if version != user.session_version:
        return "ended"
    moment = now.timestamp()
    if moment - since >= limits.absolute.total_seconds():
        return "expired"
    if moment - seen >= limits.idle.total_seconds():
        return "idle"
    return None


def start_staff_session(user: StaffUser, now: datetime | None = None) -> None:
    """Sign ``user`` in and note the account's session version and the time."""
    stamp = int((now or utcnow()).timestamp())
    login_user(user)
    session[STAFF_SESSION_KEY] = {"v": user.session_version, "since": stamp, "seen": stamp}


def end_session() -> None:
    """Sign whoever is signed in out of this browser (the account's other sessions stay
    unless its version was raised first)."""
    logout_user()
    session.pop(STAFF_SESSION_KEY, None)


def check_staff_session() -> None:
    """Before every request: end a staff session whose account, version or time ran out."""
    user_id = session.get(_USER_ID_KEY)
    if not isinstance(user_id, str) or not user_id.startswith("staff:"):
        return
    now = utcnow()
    # Through Flask-Login, which keeps the user for the request: a second load here
    # was a second SELECT (the identity map holds objects only while referenced).
    loaded = current_user._get_current_object()
    user = loaded if isinstance(loaded, StaffUser) else None
    stored = session.get(STAFF_SESSION_KEY)
    problem = staff_session_problem(
        stored, user, now, SessionLimits.from_config(current_app.config)
    )
    if problem is not None:
        end_session()
        flash(_ENDED_MESSAGES[problem], "info")
        return
    if now.timestamp() - stored["seen"] >= _SEEN_PRECISION.total_seconds():
        session[STAFF_SESSION_KEY] = {**stored, "seen": int(now.timestamp())}


def register(app: Flask) -> None:
    app.before_request(check_staff_session)


def roles_required(*roles: str) -> Callable:
    """Allow signed-in staff with one of ``roles`` (admins always); others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not isinstance(current_user._get_current_object(), StaffUser):
                abort(403)
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        # Read by the access-matrix tests: who each staff route is for.
        wrapped.staff_roles = roles
        return wrapped

    return decorator
