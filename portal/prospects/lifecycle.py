"""The lead lifecycle, one definition for marketing and sales.

visitor → prospect (contact details known) → lead (booked or asked for a tour) →
toured → applied → leased; or lost (with a reason) from any stage. Stages only
move forward: a late "lead" event for someone who already toured changes nothing.
A lost prospect who comes back (books again) re-enters at the new stage.
"""

from datetime import datetime

import sqlalchemy as sa

from portal.extensions import db
from portal.models import LIFECYCLE_STAGES, Prospect, StageChange
from portal.models.base import utcnow

FUNNEL = LIFECYCLE_STAGES[:-1]  # every stage but "lost", in order


def advance_lifecycle(
    prospect: Prospect,
    stage: str,
    *,
    reason: str | None = None,
    now: datetime | None = None,
    actor: str = "system",
) -> bool:
    """Move ``prospect`` to ``stage`` if that is forward (flushes). True if it moved.

    Every move is also a dated ``StageChange`` row, which the funnel insights read
    (when a prospect applied, leased or was lost).

    :param reason: required for "lost" (e.g. "chose another building").
    :param actor: who moved them: "system" (a booking, a completed tour) or "staff:<id>".
    """
    if stage not in LIFECYCLE_STAGES:
        raise ValueError(f"stage must be one of {', '.join(LIFECYCLE_STAGES)}")
    if stage == "lost":
        if not reason or not reason.strip():
            raise ValueError("a lost prospect needs a reason")
        if prospect.stage in ("lost", "leased"):
            return False
        prospect.lost_reason = reason.strip()[:200]
    elif prospect.stage != "lost" and FUNNEL.index(stage) <= FUNNEL.index(prospect.stage):
        return False
    else:
        prospect.lost_reason = None
    at = now or utcnow()
    if prospect.id is None:
        db.session.flush()
    db.session.add(
        StageChange(
            prospect_id=prospect.id, from_stage=prospect.stage, to_stage=stage, at=at, actor=actor
        )
    )
    prospect.stage = stage
    prospect.stage_changed_at = at
    db.session.flush()
    return True


def stage_counts() -> dict[str, int]:
    """Prospects per stage, erased ones included (they are anonymous counts)."""
    rows = db.session.execute(
        sa.select(Prospect.stage, sa.func.count(Prospect.id)).group_by(Prospect.stage)
    )
    counts = dict.fromkeys(LIFECYCLE_STAGES, 0)
    counts.update({stage: n for stage, n in rows})
    return counts
