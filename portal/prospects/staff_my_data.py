"""What staff recorded about a prospect, in "my data": notes, stage changes, tour records.

Exported as recorded. Erasure deletes the notes and blanks every free text (what they
liked, objection notes, lost reasons, capture notes, stage reasons) while keeping the
anonymous facts the funnel counts: interest levels, objection keys, next steps, stages.
"""

import sqlalchemy as sa

from portal.extensions import db
from portal.models import Prospect, ProspectNote, StageChange, Tour, TourCapture


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _captures(prospect: Prospect) -> list[TourCapture]:
    tour_ids = sa.select(Tour.id).where(Tour.prospect_id == prospect.id)
    return list(
        db.session.scalars(
            sa.select(TourCapture).where(TourCapture.tour_id.in_(tour_ids)).order_by(TourCapture.id)
        )
    )


def export_section(prospect: Prospect) -> dict:
    notes = db.session.scalars(
        sa.select(ProspectNote)
        .where(ProspectNote.prospect_id == prospect.id)
        .order_by(ProspectNote.created_at)
    )
    stages = db.session.scalars(
        sa.select(StageChange)
        .where(StageChange.prospect_id == prospect.id)
        .order_by(StageChange.changed_at)
    )
    return {
        "notes": [{"at": _iso(n.created_at), "text": n.body} for n in notes],
        "stage_changes": [
            {"at": _iso(s.changed_at), "from": s.from_stage, "to": s.to_stage, "reason": s.reason}
            for s in stages
        ],
        "tour_records": [
            {
                "tour_id": c.tour_id,
                "interest_level": c.interest_level,
                "liked": c.liked,
                "objections": list(c.objections),
                "objection_note": c.objection_note,
                "next_step": c.next_step,
                "decide_by": _iso(c.decide_by),
                "lost_reason": c.lost_reason,
                "notes": c.notes,
                "recorded_at": _iso(c.updated_at),
            }
            for c in _captures(prospect)
        ],
    }


def erase(prospect: Prospect) -> None:
    db.session.execute(sa.delete(ProspectNote).where(ProspectNote.prospect_id == prospect.id))
    db.session.execute(
        sa.update(StageChange)
        .where(StageChange.prospect_id == prospect.id)
        .values(reason=None)
        .execution_options(synchronize_session=False)
    )
    for capture in _captures(prospect):
        capture.liked = capture.objection_note = capture.notes = ""
        if capture.lost_reason is not None:
            capture.lost_reason = "(erased)"  # the database keeps "lost has a reason"
    db.session.flush()
