"""The lead lifecycle, one definition for marketing and sales.

visitor → prospect (contact details known) → lead (booked or asked for a tour) →
toured → applied → leased; or lost (with a reason) from any stage. Stages only
move forward: a late "lead" event for someone who already toured changes nothing.
A lost prospect who comes back (books again) re-enters at the new stage.

Every move is kept as a ``StageChange`` row (the staff timeline); staff may also set a
stage by hand, backwards included (``set_stage``), with the reason shown there.
"""

from datetime import datetime

import sqlalchemy as sa

from portal.extensions import db
from portal.models import LIFECYCLE_STAGES, Prospect, StageChange
from portal.models.base import utcnow

FUNNEL = LIFECYCLE_STAGES[:-1]  # every stage but "lost", in order
# The definition as staff read it beside the manual stage change (the docstring above,
# in words for people).
LEAD_DEFINITION = (
    "visitor → prospect (we know how to reach them) → lead (booked or asked for a tour) → "
    "toured (a tour took place) → applied → leased; or lost, with a reason, from any stage. "
    "Stages set by bookings and tours only move forward; a lost prospect who books again "
    "re-enters at the new stage. Change a stage by hand only to correct it or to record "
    "what happened outside the portal (an application, a lease, a lost prospect)."
)


def advance_lifecycle(
    prospect: Prospect,
    stage: str,
    *,
    reason: str | None = None,
    now: datetime | None = None,
    actor: str = "system",
) -> bool:
    """Move ``prospect`` to ``stage`` if that is forward (flushes). True if it moved.

    :param reason: required for "lost" (e.g. "chose another building").
    :param actor: who moved it, for the timeline: "system", "prospect" or "staff:<id>".
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
    _move(prospect, stage, reason=prospect.lost_reason, actor=actor, now=now or utcnow())
    return True


def set_stage(
    prospect: Prospect, stage: str, *, reason: str | None, actor: str, now: datetime
) -> bool:
    """Staff set the stage by hand, backwards too (a mistake corrected); flushes.

    :param reason: required for "lost", kept for the timeline otherwise.
    :returns: False when the prospect is already at ``stage``.
    :raises ValueError: an unknown stage or a "lost" without a reason.
    """
    if stage not in LIFECYCLE_STAGES:
        raise ValueError(f"stage must be one of {', '.join(LIFECYCLE_STAGES)}")
    reason = (reason or "").strip()[:200] or None
    if stage == "lost" and reason is None:
        raise ValueError("a lost prospect needs a reason")
    if stage == prospect.stage:
        return False
    prospect.lost_reason = reason if stage == "lost" else None
    _move(prospect, stage, reason=reason, actor=actor, now=now)
    return True


def _move(prospect: Prospect, stage: str, *, reason, actor: str, now: datetime) -> None:
    db.session.add(
        StageChange(
            prospect_id=prospect.id,
            from_stage=prospect.stage,
            to_stage=stage,
            reason=reason,
            actor=actor,
            changed_at=now,
        )
    )
    prospect.stage = stage
    prospect.stage_changed_at = now
    db.session.flush()


def stage_counts() -> dict[str, int]:
    """Prospects per stage, erased ones included (they are anonymous counts)."""
    rows = db.session.execute(
        sa.select(Prospect.stage, sa.func.count(Prospect.id)).group_by(Prospect.stage)
    )
    counts = dict.fromkeys(LIFECYCLE_STAGES, 0)
    counts.update({stage: n for stage, n in rows})
    return counts
