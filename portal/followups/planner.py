"""Which step is due for whom: set-based planning, stops, and a run's next step.

A run is started by ``portal.followups.enrolment`` (in the tour event's transaction).
After that the planner works like listmonk's pipes: over batches of run ids it stops the
runs whose prospect left the plan (applied, leased, lost, unsubscribed, erased), and
writes the next message of every run waiting for one with one INSERT ... SELECT per
batch, never a Python loop per prospect. Services flush; the CLI or job commits (per
batch, through ``on_batch``).
"""

import secrets
from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa

from portal.extensions import db
from portal.followups.run_timing import schedule_next
from portal.models import (
    ContactPreference,
    FollowupMessage,
    FollowupPlan,
    FollowupRun,
    FollowupSettings,
    FollowupStep,
    Prospect,
)

BATCH_SIZE = 5000
STOP_STAGES = ("applied", "leased", "lost")
PENDING = ("scheduled", "awaiting_review")
MESSAGE_ID_DOMAIN = "followups.doorstep"


def stop_runs(
    prospect_id: int, reason: str, *, now: datetime, keep_tour_id: int | None = None
) -> int:
    """Stop the prospect's active runs and skip their pending messages (flushes).

    :param keep_tour_id: the runs of this tour go on (its plan takes over).
    """
    runs = sa.select(FollowupRun.id).where(
        FollowupRun.prospect_id == prospect_id, FollowupRun.status == "active"
    )
    if keep_tour_id is not None:
        other = sa.or_(FollowupRun.tour_id.is_(None), FollowupRun.tour_id != keep_tour_id)
        runs = runs.where(other)
    ids = list(db.session.scalars(runs))
    if not ids:
        return 0
    _stop(ids, reason)
    return len(ids)


def _stop(run_ids: list[int], reason: str) -> None:
    db.session.execute(
        sa.update(FollowupMessage)
        .where(FollowupMessage.run_id.in_(run_ids), FollowupMessage.status.in_(PENDING))
        .values(status="skipped", skip_reason=f"plan stopped: {reason}")
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(FollowupRun)
        .where(FollowupRun.id.in_(run_ids), FollowupRun.status == "active")
        .values(status="stopped", stop_reason=reason, next_due_at=None, next_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()


def advance(message: FollowupMessage, finished_at: datetime) -> None:
    """A message is finished (handed over, sent or skipped): plan the run's next step."""
    run = message.run
    if run.status != "active" or run.next_due_at is not None:
        return
    schedule_next(run, finished_at)
    db.session.flush()
    if run.status == "active":
        plan_messages(finished_at, run_ids=[run.id])


def _stop_condition() -> sa.ColumnElement[bool]:
    """Prospects who left every plan: a final stage, erased, or unsubscribed (correlated on
    the run's prospect, so a batch reads only its own prospects by primary key)."""
    left = sa.exists().where(
        Prospect.id == FollowupRun.prospect_id,
        sa.or_(Prospect.stage.in_(STOP_STAGES), Prospect.erased_at.is_not(None)),
    )
    unsubscribed = sa.exists().where(
        ContactPreference.prospect_id == FollowupRun.prospect_id,
        ContactPreference.unsubscribed_at.is_not(None),
    )
    return sa.or_(left, unsubscribed)


def _stop_reason() -> sa.ColumnElement[str]:
    stage = sa.select(Prospect.stage).where(Prospect.id == FollowupRun.prospect_id)
    erased = sa.select(Prospect.erased_at).where(Prospect.id == FollowupRun.prospect_id)
    return sa.case(
        (erased.scalar_subquery().is_not(None), "erased"),
        (stage.scalar_subquery().in_(STOP_STAGES), "stage " + stage.scalar_subquery()),
        else_="unsubscribed",
    )


def _insert_next_messages(lo: int, hi: int, now: datetime, salt: str) -> int:
    run, step, plan = FollowupRun, FollowupStep, FollowupPlan
    prefs, settings = ContactPreference, FollowupSettings
    preferred = sa.case(
        (prefs.channel.in_(("sms", "phone")), prefs.channel),
        else_=sa.literal("email"),
    )
    message_id = (
        sa.literal("<fu-")
        + sa.cast(run.id, sa.String)
        + "-"
        + sa.cast(step.position, sa.String)
        + "-"
        + salt
        + "@"
        + MESSAGE_ID_DOMAIN
        + ">"
    )
    select = (
        sa.select(
            run.id,
            run.prospect_id,
            run.tour_id,
            run.plan_id,
            step.id,
            step.position,
            sa.case((step.channel == "preferred", preferred), else_=step.channel),
            sa.case((settings.send_mode == "review", "awaiting_review"), else_="scheduled"),
            run.next_due_at,
            run.next_expires_at,
            message_id,
            sa.literal(now, type_=FollowupMessage.__table__.c.created_at.type),
        )
        .join(step, sa.and_(step.plan_id == run.plan_id, step.position == run.next_position))
        .join(plan, plan.id == run.plan_id)
        .outerjoin(settings, settings.property_id == plan.property_id)
        .outerjoin(prefs, prefs.prospect_id == run.prospect_id)
        .where(
            run.id >= lo,
            run.id < hi,
            run.status == "active",
            run.next_due_at.is_not(None),
        )
    )
    columns = [
        "run_id",
        "prospect_id",
        "tour_id",
        "plan_id",
        "step_id",
        "position",
        "channel",
        "status",
        "scheduled_for",
        "expires_at",
        "message_id",
        "created_at",
    ]
    result = db.session.execute(sa.insert(FollowupMessage).from_select(columns, select))
    if result.rowcount is not None and result.rowcount >= 0:
        return result.rowcount
    # Some drivers do not report the rows of an INSERT ... SELECT: count what it wrote (the
    # runs are not advanced yet, so their next position is the step just written).
    return db.session.scalar(
        sa.select(sa.func.count(FollowupMessage.id))
        .join(
            run,
            sa.and_(
                run.id == FollowupMessage.run_id, run.next_position == FollowupMessage.position
            ),
        )
        .where(run.id >= lo, run.id < hi, run.status == "active", run.next_due_at.is_not(None))
    )


def _plan_batch(lo: int, hi: int, now: datetime) -> tuple[int, int]:
    """Stop the leavers and write the next messages of runs ``lo <= id < hi``."""
    in_batch = sa.and_(FollowupRun.id >= lo, FollowupRun.id < hi, FollowupRun.status == "active")
    leaving = list(db.session.scalars(sa.select(FollowupRun.id).where(in_batch, _stop_condition())))
    if leaving:
        reasons = db.session.execute(
            sa.select(FollowupRun.id, _stop_reason()).where(FollowupRun.id.in_(leaving))
        ).all()
        by_reason: dict[str, list[int]] = {}
        for run_id, reason in reasons:
            by_reason.setdefault(reason, []).append(run_id)
        for reason, ids in by_reason.items():
            _stop(ids, reason)
    written = _insert_next_messages(lo, hi, now, secrets.token_hex(4))
    has_step = sa.exists().where(
        FollowupStep.plan_id == FollowupRun.plan_id,
        FollowupStep.position == FollowupRun.next_position,
    )
    waiting = sa.and_(in_batch, FollowupRun.next_due_at.is_not(None))
    db.session.execute(
        sa.update(FollowupRun)
        .where(waiting, ~has_step)
        .values(status="done", next_due_at=None, next_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(FollowupRun)
        .where(waiting)
        .values(next_position=FollowupRun.next_position + 1, next_due_at=None, next_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    return written, len(leaving)


def plan_messages(
    now: datetime,
    *,
    run_ids: list[int] | None = None,
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[], None] | None = None,
) -> dict[str, int]:
    """Write the next message of every active run waiting for one (set-based; flushes).

    :param run_ids: only these runs (an event's own run); None: every run, in batches.
    :param on_batch: called after each batch (the CLI commits there).
    :returns: ``written`` messages and ``stopped`` runs.
    """
    counts = {"written": 0, "stopped": 0}
    if run_ids is not None:
        ranges = [(i, i + 1) for i in sorted(run_ids)]
    else:
        bounds = db.session.execute(
            sa.select(sa.func.min(FollowupRun.id), sa.func.max(FollowupRun.id)).where(
                FollowupRun.status == "active"
            )
        ).one()
        if bounds[0] is None:
            return counts
        ranges = [(lo, lo + batch_size) for lo in range(bounds[0], bounds[1] + 1, batch_size)]
    for lo, hi in ranges:
        written, stopped = _plan_batch(lo, hi, now)
        counts["written"] += written
        counts["stopped"] += stopped
        if on_batch is not None:
            on_batch()
    if counts["written"] or counts["stopped"]:
        db.session.expire_all()
    return counts
