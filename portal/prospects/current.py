"""Who is browsing: the one module of the prospect area that reads the request.

The session, ``current_user`` and the request go in here and come out as plain
values (a prospect or a visitor id, a consent choice, a fit context, the visitor's
places) that views pass to the services, which take them explicitly.
"""

from collections.abc import Callable
from functools import wraps

from flask import abort, current_app, redirect, request, session, url_for
from flask_login import current_user

from portal.auth.redirects import safe_next  # noqa: F401  (re-exported for the views)
from portal.destinations.store import (
    add_prospect_destination,
    add_session_destination,
    prospect_destinations,
    remove_prospect_destination,
    remove_session_destination,
    session_destinations,
)
from portal.geo.commute import Destination
from portal.models import Prospect, Unit
from portal.prospects.favourites import favourite_ids
from portal.prospects.fit.context import FitContext
from portal.prospects.fit.facts import geo_facts_of
from portal.prospects.fit.score import Fit
from portal.prospects.interests import infer_interests
from portal.prospects.priorities import Priorities, current_priorities
from portal.prospects.signals import record_signal, signals_of
from portal.prospects.visitor import (
    VISITOR_KEY,
    capture_touch,
    ensure_visitor_id,
    touch_from_request,
)
from portal.settings import geo_settings

CONSENT_KEY = "consent"  # "all" (browsing signals allowed) or "necessary"
# The choice lives in a cookie of its own, not in the session: signing in, signing out,
# erasing an account or an expired session cookie must not ask the visitor again.
CONSENT_COOKIE = "doorstep_consent"
CONSENT_CHOICES = ("all", "necessary")
CONSENT_MAX_AGE = 365 * 24 * 3600  # a year, then the banner asks again


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


# Consent and tracking


def consent_choice() -> str | None:
    """The visitor's banner choice: its own cookie first, else an older session's."""
    choice = request.cookies.get(CONSENT_COOKIE) or session.get(CONSENT_KEY)
    return choice if choice in CONSENT_CHOICES else None


def remember_consent(response, choice: str):
    """Set the consent cookie on ``response`` (and the session, for this request's reads)."""
    session[CONSENT_KEY] = choice
    response.set_cookie(
        CONSENT_COOKIE,
        choice,
        max_age=CONSENT_MAX_AGE,
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        httponly=True,
        samesite="Lax",
    )
    return response


def signals_allowed() -> bool:
    """Browsing signals are recorded only after the visitor chose "allow"."""
    return consent_choice() == "all" and not is_staff()


def record_if_allowed(kind: str, **fields) -> bool:
    """Record a signal for whoever is browsing, only with their consent (flushes)."""
    if not signals_allowed():
        return False
    prospect, visitor_id = current_owner(create=True)
    record_signal(kind, prospect=prospect, visitor_id=visitor_id, **fields)
    return True


def capture_request_touch() -> None:
    """Keep the UTM parameters and foreign referrer of page visits in the session.

    Only page GETs count (not static files, the API or beacons); nothing is stored
    server-side until the visitor signs in or books, and nothing at all once the
    visitor chose "only necessary" on the consent banner.
    """
    if request.method != "GET" or request.endpoint in (None, "static"):
        return
    if request.path.startswith("/api/") or consent_choice() == "necessary":
        return
    touch = touch_from_request(request.args, request.referrer, request.host)
    if touch is not None:
        capture_touch(session, touch)


# The visitor's places: the signed-in prospect's (stored) or this session's


def current_destinations() -> list[Destination]:
    prospect = current_prospect()
    if prospect is not None:
        return prospect_destinations(prospect.id)
    return session_destinations(session)


def add_destination(destination: Destination) -> None:
    """Keep a place for whoever is browsing (flushes for a prospect)."""
    prospect = current_prospect()
    if prospect is not None:
        add_prospect_destination(prospect.id, destination)
    else:
        add_session_destination(session, destination)


def remove_destination(index: int) -> bool:
    prospect = current_prospect()
    if prospect is not None:
        places = prospect_destinations(prospect.id)
        if not 0 <= index < len(places):
            return False
        return remove_prospect_destination(prospect.id, places[index].id)
    return remove_session_destination(session, index)


# Fit for whoever is browsing


def current_fit_context() -> FitContext:
    """Priorities, inferred interests and places of the signed-in prospect or this visitor."""
    prospect, visitor_id = current_owner()
    known = prospect is not None or visitor_id is not None
    return FitContext(
        # Someone with no visitor id yet has stated, browsed and saved nothing: no queries.
        priorities=current_priorities(prospect, visitor_id) if known else Priorities(),
        interests=infer_interests(signals_of(prospect, visitor_id) if known else []),
        facts_of=geo_facts_of(current_destinations(), geo_settings()),
    )


def listing_panel_context(unit: Unit) -> dict:
    """Template variables for ``prospects/_listing_panel.html``: fit, saved, staff or not."""
    return listing_panel_context_of(unit.id, lambda context: context.fit(unit))


def listing_panel_context_of(unit_id: int, fit_of: Callable[[FitContext], Fit]) -> dict:
    """The same for a listing known by id, its fit from ``fit_of(context)``."""
    if is_staff():
        return {"fit": None, "fit_has_basis": False, "is_saved": False, "is_staff": True}
    context = current_fit_context()
    prospect, visitor_id = current_owner()
    return {
        "fit": fit_of(context),
        "fit_has_basis": context.has_basis,
        "is_saved": (prospect is not None or visitor_id is not None)
        and unit_id in favourite_ids(prospect, visitor_id),
        "is_staff": False,
    }
