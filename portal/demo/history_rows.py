"""Rows of a sales history: the facts the insights read, written as the services leave them.

The demo history (``portal.demo.history``) and the tests' constructed histories both
build on these, so a history reads the same wherever it comes from: a staff step on a
tour, a prospect's dated stage moves, a priorities version, an agent's capture, and a
follow-up of a community's plan delivered by email through the outbox. They only add
to the session; the caller flushes.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa

from portal.extensions import db
from portal.models import (
    FollowupMessage,
    FollowupPlan,
    FollowupRun,
    OutboxEmail,
    PriorityVersion,
    Prospect,
    StageChange,
    Tour,
    TourCapture,
    TourStatusChange,
)


def add_step(tour: Tour, before: str, after: str, at: datetime, actor: str) -> None:
    """A step in the tour's life by ``actor`` (``staff:<id>``, ``system``, ``prospect``)."""
    db.session.add(
        TourStatusChange(
            tour_id=tour.id,
            from_status=before,
            to_status=after,
            starts_at=tour.starts_at,
            actor=actor,
            changed_at=at,
        )
    )


def add_stages(prospect: Prospect, moves: list[tuple[str, datetime]]) -> None:
    """The prospect's stage moves after the ones already recorded, each dated."""
    previous = prospect.stage
    for stage, at in moves:
        db.session.add(
            StageChange(prospect_id=prospect.id, from_stage=previous, to_stage=stage, at=at)
        )
        previous = stage
    if moves:
        prospect.stage, prospect.stage_changed_at = previous, moves[-1][1]


def add_priorities(
    prospect: Prospect, importance: dict[str, str], at: datetime, notes: str = ""
) -> None:
    """A priorities version the prospect gave: topic -> "nice", "important", "must_have"."""
    answers = {"importance": importance} | ({"notes": notes} if notes else {})
    db.session.add(
        PriorityVersion(prospect_id=prospect.id, source="prospect", answers=answers, created_at=at)
    )


def add_capture(
    tour: Tour,
    objections: list[str],
    *,
    interest: int = 3,
    lost_reason: str | None = None,
    staff_id: int | None = None,
    notes: str = "",
) -> None:
    """The agent's completion form: objections, and whether the prospect was lost."""
    db.session.add(
        TourCapture(
            tour_id=tour.id,
            staff_user_id=staff_id,
            interest_level=interest,
            objections=objections,
            next_step="lost" if lost_reason else "apply",
            lost_reason=lost_reason,
            notes=notes,
            created_at=tour.ends_at,
        )
    )


def add_outbox_email(prospect: Prospect, kind: str, at: datetime, **fields) -> OutboxEmail:
    """An email the outbox delivered at ``at``."""
    mail = OutboxEmail(
        kind=kind,
        to_address=prospect.email,
        subject=fields.pop("subject", "Following up on your visit"),
        text_body=fields.pop("text_body", "(history)"),
        status=fields.pop("status", "sent"),
        created_at=at,
        next_attempt_at=at,
        sent_at=at,
        **fields,
    )
    db.session.add(mail)
    return mail


def add_follow_up(
    prospect: Prospect,
    tour: Tour,
    trigger: str,
    at: datetime,
    *,
    position: int = 1,
    delivered: bool = True,
    replied_at: datetime | None = None,
) -> FollowupMessage | None:
    """Step ``position`` of the tour's community's ``trigger`` plan, sent at ``at`` by email.

    A delivered message goes through the outbox (kind "followup", as the dispatcher
    hands it over); one not delivered is still scheduled. Returns None when the
    community has no such plan.

    :param replied_at: when an agent marked the prospect's reply on the run.
    """
    plan = db.session.scalar(
        sa.select(FollowupPlan).where(
            FollowupPlan.property_id == tour.property_id, FollowupPlan.trigger == trigger
        )
    )
    if plan is None or len(plan.steps) < position:
        return None
    run = FollowupRun(
        plan_id=plan.id,
        prospect_id=prospect.id,
        tour_id=tour.id,
        started_at=at,
        replied_at=replied_at,
        status="stopped" if replied_at else "active",
        stop_reason="replied" if replied_at else None,
    )
    message = FollowupMessage(
        run=run,
        prospect_id=prospect.id,
        tour_id=tour.id,
        plan_id=plan.id,
        step_id=plan.steps[position - 1].id,
        position=position,
        channel="email",
        status="sending" if delivered else "scheduled",
        scheduled_for=at,
        expires_at=at + timedelta(days=plan.steps[position - 1].expires_after_days),
        message_id=f"<history-{trigger}-{position}-{tour.uid}>",
        created_at=at,
    )
    if delivered:
        message.outbox_email = add_outbox_email(prospect, "followup", at)
    db.session.add_all([run, message])
    return message
