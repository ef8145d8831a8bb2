"""Consent-bound tracking glue: record a signal only if allowed; capture the source."""

from flask import request, session

from portal.prospects.current import consent_choice, current_owner, signals_allowed
from portal.prospects.signals import record_signal
from portal.prospects.visitor import capture_touch, touch_from_request


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
