"""Anonymous visitors: what they saved before signing in, and its merge into an account.

A visitor is a random id in the session cookie. Priorities, favourites and (with
consent) browsing signals are stored against that id (``owner_clause`` and
``owner_values`` pick a prospect's or a visitor's rows), so signing in or booking a
tour with the same email only re-labels rows: nothing is copied, nothing lost.
"""

import secrets
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa

from portal.extensions import db
from portal.models import BrowsingSignal, Favourite, PriorityVersion, Prospect
from portal.models.base import utcnow

VISITOR_KEY = "visitor_id"
FIRST_TOUCH_KEY = "first_touch"
LAST_TOUCH_KEY = "last_touch"
UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")


@dataclass(frozen=True)
class VisitorState:
    """What an anonymous session holds, read once from the session."""

    visitor_id: str | None = None
    first_touch: dict | None = None
    last_touch: dict | None = None


@dataclass(frozen=True)
class MergeSummary:
    priority_versions: int = 0
    favourites: int = 0
    signals: int = 0


def visitor_state_from_session(session: Mapping) -> VisitorState:
    return VisitorState(
        visitor_id=session.get(VISITOR_KEY),
        first_touch=session.get(FIRST_TOUCH_KEY),
        last_touch=session.get(LAST_TOUCH_KEY),
    )


def ensure_visitor_id(session) -> str:
    """The session's visitor id, created on first save; the cookie then outlives the tab
    (PERMANENT_SESSION_LIFETIME, 31 days) so saved homes survive closing the browser."""
    if not session.get(VISITOR_KEY):
        session[VISITOR_KEY] = secrets.token_urlsafe(16)
        session.permanent = True
    return session[VISITOR_KEY]


def forget_visitor(session: MutableMapping) -> None:
    """After a merge the anonymous id is spent; touches stay for the next account."""
    session.pop(VISITOR_KEY, None)


def forget_touches(session: MutableMapping) -> None:
    session.pop(FIRST_TOUCH_KEY, None)
    session.pop(LAST_TOUCH_KEY, None)


def owner_clause(model, prospect: Prospect | None, visitor_id: str | None):
    """WHERE clause selecting ``model`` rows of this prospect or visitor (none if neither)."""
    if prospect is not None:
        return model.prospect_id == prospect.id
    if visitor_id:
        return model.visitor_id == visitor_id
    return sa.false()


def owner_values(prospect: Prospect | None, visitor_id: str | None) -> dict:
    """Column values for a new row; a signed-in prospect always wins over the visitor id."""
    if prospect is not None:
        return {"prospect_id": prospect.id, "visitor_id": None}
    if not visitor_id:
        raise ValueError("a row belongs to a prospect or a visitor")
    return {"prospect_id": None, "visitor_id": visitor_id}


def touch_from_request(
    args: Mapping[str, str], referrer: str | None, own_host: str, now: datetime | None = None
) -> dict | None:
    """The marketing source of a request: UTM parameters and a foreign referrer, if any."""
    touch = {k: args[k][:200] for k in UTM_FIELDS if args.get(k)}
    if referrer:
        host = urlsplit(referrer).hostname or ""
        if host and host != own_host.split(":")[0]:
            touch["referrer"] = referrer[:500]
    if not touch:
        return None
    touch["at"] = (now or utcnow()).isoformat()
    return touch


def capture_touch(session: MutableMapping, touch: dict | None) -> None:
    """Keep the first touch for ever and the latest one for last-touch attribution."""
    if touch is None:
        return
    session.setdefault(FIRST_TOUCH_KEY, touch)
    session[LAST_TOUCH_KEY] = touch


def merge_visitor_into_prospect(prospect: Prospect, state: VisitorState) -> MergeSummary:
    """Move an anonymous visitor's records onto ``prospect`` (flushes, does not commit).

    Called at magic-link sign-in and by the tour booking when a visitor books with
    an email. Favourites already saved on the account are kept once; priority
    versions keep their timestamps, so the most recent answers stay current.
    """
    if state.first_touch and not prospect.first_touch:
        prospect.first_touch = state.first_touch
    if state.last_touch:
        prospect.last_touch = state.last_touch
    if not state.visitor_id:
        db.session.flush()
        return MergeSummary()
    vid = state.visitor_id
    owned = set(
        db.session.scalars(sa.select(Favourite.unit_id).where(Favourite.prospect_id == prospect.id))
    )
    duplicates = sa.and_(Favourite.visitor_id == vid, Favourite.unit_id.in_(owned))
    db.session.execute(sa.delete(Favourite).where(duplicates))
    favourites = _relabel(Favourite, vid, prospect.id)
    versions = _relabel(PriorityVersion, vid, prospect.id)
    signals = _relabel(BrowsingSignal, vid, prospect.id)
    db.session.flush()
    return MergeSummary(priority_versions=versions, favourites=favourites, signals=signals)


def _relabel(model, visitor_id: str, prospect_id: int) -> int:
    result = db.session.execute(
        sa.update(model)
        .where(model.visitor_id == visitor_id)
        .values(prospect_id=prospect_id, visitor_id=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
