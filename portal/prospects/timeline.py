"""One timeline of everything about a prospect, for the staff prospect page and API.

Visits and browsing signals, priority versions (with what changed and who said it),
tours and their status changes, captures, messages sent, stage changes and notes:
each stored row becomes one ``TimelineEntry``, newest first. Nothing is recomputed:
the entries read the rows the other services wrote.
"""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from portal.extensions import db
from portal.models import (
    BrowsingSignal,
    OutboxEmail,
    Prospect,
    ProspectNote,
    StaffUser,
    StageChange,
    Tour,
    TourCapture,
    TourStatusChange,
    Unit,
)
from portal.models.capture import OBJECTION_LABELS
from portal.prospects.priorities import (
    Priorities,
    describe_changes,
    priority_history,
    stored_priorities,
)

# The newest rows of each kind; a prospect who browsed for a year still gets a page.
PER_KIND = 200
TIMELINE_KINDS = ("signal", "priorities", "tour", "capture", "message", "stage", "note")
SIGNAL_WORDS = {
    "listing_view": "Viewed a listing",
    "photo_opened": "Opened photos",
    "window_view_opened": "Opened the window views",
    "virtual_tour_opened": "Opened the virtual tour",
    "category_expanded": "Expanded a neighbourhood category",
    "commute_checked": "Checked a commute",
    "favourite_added": "Saved a favourite",
    "compare_used": "Compared listings",
    "tour_booked": "Booked a tour",
}


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # one of TIMELINE_KINDS
    title: str
    details: list[str] = field(default_factory=list)
    actor: str | None = None  # "prospect", "system", "staff:<id>" or a staff name
    ref: dict = field(default_factory=dict)  # ids of the rows behind it (tour_id, unit_id...)


def _actor(actor: str | None, names: dict[int, str]) -> str | None:
    if actor and actor.startswith("staff:") and actor[6:].isdigit():
        return names.get(int(actor[6:]), actor)
    return actor


def _signals(prospect: Prospect) -> list[TimelineEntry]:
    rows = db.session.execute(
        sa.select(BrowsingSignal, Unit.number, Unit.property_id)
        .outerjoin(Unit, Unit.id == BrowsingSignal.unit_id)
        .where(BrowsingSignal.prospect_id == prospect.id)
        .order_by(BrowsingSignal.created_at.desc())
        .limit(PER_KIND)
    ).all()
    entries = []
    for signal, number, _property_id in rows:
        details = []
        if number:
            details.append(f"Unit {number}")
        if signal.topic:
            details.append(signal.topic.replace("_", " "))
        if signal.dwell_seconds:
            details.append(f"{round(signal.dwell_seconds / 60, 1)} min")
        entries.append(
            TimelineEntry(
                signal.created_at,
                "signal",
                SIGNAL_WORDS.get(signal.kind, signal.kind),
                details,
                "prospect",
                {"signal": signal.kind, "unit_id": signal.unit_id},
            )
        )
    return entries


def _priorities(prospect: Prospect, names: dict[int, str]) -> list[TimelineEntry]:
    entries, before = [], Priorities()
    for version in priority_history(prospect):
        after = stored_priorities(version)
        who = names.get(version.staff_user_id) if version.staff_user_id else version.source
        entries.append(
            TimelineEntry(
                version.created_at,
                "priorities",
                f"Priorities updated ({version.source})",
                describe_changes(before, after) or ["No change in the answers"],
                who,
                {"priority_version_id": version.id, "source": version.source},
            )
        )
        before = after
    return entries[-PER_KIND:]


def _tours(tours: list[Tour], names: dict[int, str]) -> list[TimelineEntry]:
    ids = [t.id for t in tours]
    if not ids:
        return []
    by_id = {t.id: t for t in tours}
    changes = db.session.scalars(
        sa.select(TourStatusChange)
        .where(TourStatusChange.tour_id.in_(ids))
        .order_by(TourStatusChange.changed_at.desc())
        .limit(PER_KIND)
    )
    entries = []
    for change in changes:
        tour = by_id[change.tour_id]
        word = (
            "Tour booked"
            if change.from_status is None
            else "Tour " + change.to_status.replace("_", " ")
        )
        details = [
            f"{tour.tour_type.name} at {tour.property.name}",
            f"Starts {change.starts_at:%Y-%m-%d %H:%M} UTC",
        ]
        if change.note:
            details.append(change.note)
        entries.append(
            TimelineEntry(
                change.changed_at,
                "tour",
                word,
                details,
                _actor(change.actor, names),
                {"tour_id": tour.id, "status": change.to_status},
            )
        )
    return entries


def _captures(tours: list[Tour], names: dict[int, str]) -> list[TimelineEntry]:
    ids = [t.id for t in tours]
    if not ids:
        return []
    entries = []
    for capture in db.session.scalars(sa.select(TourCapture).where(TourCapture.tour_id.in_(ids))):
        details = [
            f"Interest {capture.interest_level}/5",
            "Next step: " + capture.next_step.replace("_", " "),
        ]
        if capture.objections:
            details.append(
                "Objections: " + ", ".join(OBJECTION_LABELS[o] for o in capture.objections)
            )
        if capture.objection_note:
            details.append(capture.objection_note)
        if capture.liked:
            details.append("Liked: " + capture.liked)
        if capture.decide_by:
            details.append(f"Decides by {capture.decide_by.isoformat()}")
        if capture.lost_reason:
            details.append("Lost: " + capture.lost_reason)
        if capture.notes:
            details.append(capture.notes)
        entries.append(
            TimelineEntry(
                capture.updated_at,
                "capture",
                "Tour recorded",
                details,
                names.get(capture.staff_user_id),
                {"tour_id": capture.tour_id},
            )
        )
    return entries


def _messages(prospect: Prospect) -> list[TimelineEntry]:
    if not prospect.email:
        return []
    rows = db.session.scalars(
        sa.select(OutboxEmail)
        .where(OutboxEmail.to_normalised == prospect.email.strip().lower())
        .order_by(OutboxEmail.created_at.desc())
        .limit(PER_KIND)
    )
    return [
        TimelineEntry(
            email.sent_at or email.created_at,
            "message",
            f"Email: {email.subject}",
            [f"{email.kind.replace('_', ' ')} · {email.status}"],
            "system",
            {"outbox_email_id": email.id, "status": email.status},
        )
        for email in rows
    ]


def _newest(model, at, prospect: Prospect):
    """The prospect's newest ``PER_KIND`` rows of ``model`` (dated by ``at``)."""
    return db.session.scalars(
        sa.select(model).where(model.prospect_id == prospect.id).order_by(at.desc()).limit(PER_KIND)
    )


def _stages(prospect: Prospect, names: dict[int, str]) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            change.changed_at,
            "stage",
            f"Stage: {change.from_stage or '—'} → {change.to_stage}",
            [change.reason] if change.reason else [],
            _actor(change.actor, names),
            {"from": change.from_stage, "to": change.to_stage},
        )
        for change in _newest(StageChange, StageChange.changed_at, prospect)
    ]


def _notes(prospect: Prospect, names: dict[int, str]) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            note.created_at,
            "note",
            "Note",
            [note.body],
            names.get(note.staff_user_id),
            {"note_id": note.id},
        )
        for note in _newest(ProspectNote, ProspectNote.created_at, prospect)
    ]


def prospect_timeline(prospect: Prospect) -> list[TimelineEntry]:
    """Everything recorded about ``prospect``, newest first (the caller checked visibility)."""
    tours = list(db.session.scalars(sa.select(Tour).where(Tour.prospect_id == prospect.id)))
    # Staff are a few dozen accounts: one small read names every actor.
    names = dict(db.session.execute(sa.select(StaffUser.id, StaffUser.name)).all())
    entries = [
        *_signals(prospect),
        *_priorities(prospect, names),
        *_tours(tours, names),
        *_captures(tours, names),
        *_messages(prospect),
        *_stages(prospect, names),
        *_notes(prospect, names),
    ]
    return sorted(entries, key=lambda e: e.at, reverse=True)
