"""Keeps ``LeadOutcome`` current: after every flush, the touched prospects' rows are redone.

Whatever service changes a fact a lead's outcome reads (a booking, a tour's status or
agent, a staff step, a capture, a stage move, priorities, a follow-up email, the
prospect's sources), it does so through the session; this hook then recomputes the
rows of exactly those prospects on the flush's own connection, so the table commits or
rolls back with the change itself. Core bulk inserts bypass the session: after one,
run ``flask insights rebuild`` (the benchmark's synthetic history does).
"""

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.models import (
    OutboxEmail,
    PriorityVersion,
    Prospect,
    StageChange,
    Tour,
    TourCapture,
    TourStatusChange,
)
from portal.prospects.magic_links import SIGN_IN_EMAIL_KIND
from portal.studio.lead_outcomes import refresh

# Models whose rows name their prospect, and those that name a tour.
BY_PROSPECT = (Tour, StageChange, PriorityVersion)
BY_TOUR = (TourStatusChange, TourCapture)
# What of an existing prospect or tour the outcomes read: other updates (a visit, a
# reminder sent) leave the rows alone and cost nothing.
READ = {
    Prospect: {"stage", "first_touch", "last_touch", "email"},
    Tour: {"prospect_id", "property_id", "agent_id", "status", "starts_at", "created_at"},
}


def _relevant_update(obj) -> bool:
    read = READ.get(type(obj))
    if read is None:
        return True
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in read)


def _is_follow_up(mail: OutboxEmail) -> bool:
    kind = mail.kind or ""
    return not kind.startswith("tour_") and kind != SIGN_IN_EMAIL_KIND


def _touched(session: Session) -> tuple[set[int], set[int], set[str]]:
    """Prospect ids, tour ids and email addresses behind the flush's changes."""
    prospects, tours, emails = set(), set(), set()
    changed = [o for o in session.new if not isinstance(o, Prospect)]  # no tours yet
    changed += [o for o in session.dirty if _relevant_update(o)]
    changed += list(session.deleted)
    for obj in changed:
        if isinstance(obj, Prospect):
            prospects.add(obj.id)
        elif isinstance(obj, BY_PROSPECT):
            prospects.add(obj.prospect_id)
            if isinstance(obj, Tour):
                # A tour moved to another prospect (a merge) changes the old one's leads too.
                history = sa.inspect(obj).attrs.prospect_id.history
                prospects.update(pid for pid in history.deleted if pid is not None)
        elif isinstance(obj, BY_TOUR):
            tours.add(obj.tour_id)
        elif isinstance(obj, OutboxEmail) and _is_follow_up(obj):
            emails.add(obj.to_normalised)
    prospects.discard(None)
    tours.discard(None)
    emails.discard(None)
    return prospects, tours, emails


def _after_flush(session: Session, flush_context) -> None:
    prospects, tours, emails = _touched(session)
    if not (prospects or tours or emails):
        return
    conn = session.connection()
    if tours:
        by_tour = sa.select(Tour.prospect_id).where(Tour.id.in_(sorted(tours)))
        prospects.update(conn.scalars(by_tour))
    if emails:
        by_email = sa.select(Prospect.id).where(Prospect.email.in_(sorted(emails)))
        prospects.update(conn.scalars(by_email))
    refresh(conn, prospects)


def register_lead_upkeep() -> None:
    """Listen to every session's flushes (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
