"""Who is browsing: the request-bound glue between the session and the services.

Views call these; services take the resulting prospect or visitor id explicitly.
"""

from collections.abc import Callable
from functools import wraps

from flask import abort, redirect, request, session, url_for
from flask_login import current_user

from portal.auth.redirects import safe_next  # noqa: F401  (re-exported for the views)
from portal.models import Prospect
from portal.prospects.visitor import VISITOR_KEY, ensure_visitor_id

CONSENT_KEY = "consent"  # "all" (browsing signals allowed) or "necessary"


def current_prospect() -> Prospect | None:
    user = current_user._get_current_object() if current_user else None
    return user if isinstance(user, Prospect) else None


def is_staff() -> bool:
    return bool(current_user and current_user.is_authenticated) and current_prospect() is None


def current_owner(create: bool = False) -> tuple[Prospect | None, str | None]:
    """(prospect, None) when signed in, else (None, visitor id) for this session.

    :param create: give an anonymous session a visitor id now (when it saves something).
    """
    prospect = current_prospect()
    if prospect is not None:
        return prospect, None
    if create:
        return None, ensure_visitor_id(session)
    return None, session.get(VISITOR_KEY)


def consent_choice() -> str | None:
    return session.get(CONSENT_KEY)


def signals_allowed() -> bool:
    """Browsing signals are recorded only after the visitor chose "allow"."""
    return consent_choice() == "all" and not is_staff()


def prospect_required(view: Callable) -> Callable:
    """Signed-in prospects only: visitors go to the sign-in page, staff get 403."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_prospect() is not None:
            return view(*args, **kwargs)
        if current_user and current_user.is_authenticated:
            abort(403)
        return redirect(url_for("prospects.sign_in", next=request.full_path.rstrip("?")))

    return wrapped


def visitor_pages_only(view: Callable) -> Callable:
    """Pages for visitors and prospects; staff browsing them would mix their data in."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if is_staff():
            abort(403, description="Staff accounts do not keep prospect data. Sign out first.")
        return view(*args, **kwargs)

    return wrapped
