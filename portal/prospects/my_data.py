""" "My data": everything recorded about a prospect, its JSON export and its erasure.

Other areas' records come from their own ``my_data`` modules, listed in ``AREAS``:
each has ``export_section(prospect)`` and ``erase(prospect)``, so one page and one
delete button cover the whole product. A new area adds its module to the list.
"""

from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa

from portal.destinations import my_data as destinations_data
from portal.extensions import db
from portal.followups import my_data as followups_data
from portal.mail import my_data as mail_data
from portal.mail.outbox import addressed_to
from portal.models import (
    BrowsingSignal,
    ContactPreference,
    Favourite,
    MagicLink,
    OutboxEmail,
    PriorityVersion,
    Prospect,
)
from portal.models.base import utcnow
from portal.prospects import staff_my_data as staff_data
from portal.prospects.favourites import favourite_ids, units_by_ids
from portal.prospects.interests import infer_interests
from portal.prospects.magic_links import SIGN_IN_EMAIL_KIND
from portal.prospects.preferences import preferences_of
from portal.prospects.priorities import priority_history
from portal.prospects.signals import signals_of
from portal.tours import my_data as tours_data

# (export key, the area's my_data module), in export order.
AREAS = (
    ("tours", tours_data),
    ("commute_destinations", destinations_data),
    ("do_not_contact", mail_data),
    ("followups", followups_data),
    ("staff_records", staff_data),
)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _messages(prospect: Prospect) -> list[OutboxEmail]:
    # Matched on the normalised address: a tour booked as Carol@Example.com mailed
    # that spelling, and it is still this prospect's mail.
    if not prospect.email:
        return []
    return list(
        db.session.scalars(
            sa.select(OutboxEmail)
            .where(addressed_to(prospect.email))
            .order_by(OutboxEmail.created_at, OutboxEmail.id)
        )
    )


def collect_my_data(prospect: Prospect) -> dict:
    """Everything recorded about ``prospect``, as plain JSON-ready data."""
    prefs = preferences_of(prospect)
    signals = signals_of(prospect)
    units = units_by_ids(favourite_ids(prospect))
    data = {
        "profile": {
            "email": prospect.email,
            "name": prospect.name,
            "phone": prospect.phone,
            "created_at": _iso(prospect.created_at),
            "stage": prospect.stage,
            "lost_reason": prospect.lost_reason,
            "first_touch": prospect.first_touch,
            "last_touch": prospect.last_touch,
        },
        "contact_preferences": {
            "channel": prefs.channel,
            "pace": prefs.pace,
            "quiet_from": _iso(prefs.quiet_from),
            "quiet_until": _iso(prefs.quiet_until),
            "time_zone": prefs.time_zone,
            "paused_until": _iso(prefs.paused_until),
            "unsubscribed_at": _iso(prefs.unsubscribed_at),
        },
        "priorities": [
            {"recorded_at": _iso(v.created_at), "source": v.source, "answers": v.answers}
            for v in priority_history(prospect)
        ],
        "inferred_interests": [
            {"topic": i.topic, "confidence": i.confidence, "evidence": i.evidence}
            for i in infer_interests(signals)
        ],
        "browsing_signals": [
            {
                "kind": s.kind,
                "listing_id": s.unit_id,
                "topic": s.topic,
                "dwell_seconds": s.dwell_seconds,
                "at": _iso(s.created_at),
            }
            for s in signals
        ],
        "favourites": [{"listing_id": u.id, "title": u.title} for u in units],
        "messages": [
            {
                "kind": m.kind,
                "subject": m.subject,
                "status": m.status,
                "queued_at": _iso(m.created_at),
                "sent_at": _iso(m.sent_at),
                # A sign-in email's body is a live credential until it expires: not exported.
                "text": None if m.kind == SIGN_IN_EMAIL_KIND else m.text_body,
            }
            for m in _messages(prospect)
        ],
    }
    for name, area in AREAS:
        data[name] = area.export_section(prospect)
    return data


def erase_prospect(prospect: Prospect, now: datetime | None = None) -> None:
    """Erase the prospect's personal data, keeping anonymous counts (flushes).

    Kept: the row with its stage, created date and campaign source (UTM only; the
    referrer is cut to its host), and the browsing signals, which without a name
    or address only count what was looked at; their topics are cleared, because a
    commute destination's label ("Mum's place") can itself be personal. Everything
    else goes, including other areas' records (``AREAS``).
    """
    for _, area in AREAS:
        area.erase(prospect)
    for model in (PriorityVersion, Favourite):
        db.session.execute(sa.delete(model).where(model.prospect_id == prospect.id))
    db.session.execute(
        sa.delete(ContactPreference).where(ContactPreference.prospect_id == prospect.id)
    )
    db.session.execute(
        sa.update(BrowsingSignal)
        .where(BrowsingSignal.prospect_id == prospect.id)
        .values(topic=None)
        .execution_options(synchronize_session=False)
    )
    if prospect.email:
        db.session.execute(sa.delete(MagicLink).where(MagicLink.email == prospect.email))
        db.session.execute(sa.delete(OutboxEmail).where(addressed_to(prospect.email)))
    prospect.email = None
    prospect.name = ""
    prospect.phone = ""
    prospect.first_touch = _anonymous_touch(prospect.first_touch)
    prospect.last_touch = _anonymous_touch(prospect.last_touch)
    prospect.erased_at = now or utcnow()
    db.session.flush()


def _anonymous_touch(touch: dict | None) -> dict | None:
    if not touch:
        return touch
    kept = {k: v for k, v in touch.items() if k.startswith("utm_") or k == "at"}
    if touch.get("referrer"):
        kept["referrer"] = urlsplit(touch["referrer"]).hostname or ""
    return kept
