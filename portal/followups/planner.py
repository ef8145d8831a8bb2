"""Which step is due for whom: enrolment on tour events, stops, and set-based planning.

A tour event enrols the prospect in the property's plan for it (a completed or captured
tour, a no-show, a cancellation) and writes the first message row in the same
transaction as the event, with its Message-ID. After that the planner works like
listmonk's pipes: over batches of run ids it stops the runs whose prospect left the
plan (applied, leased, lost, unsubscribed, erased), and writes the next message of every
run waiting for one with one INSERT ... SELECT per batch, never a Python loop per
prospect. Services flush; the CLI or job commits (per batch, through ``on_batch``).
"""

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Flask

from portal.extensions import db
from portal.models import (
    ContactPreference,
    Favourite,
    FollowupMessage,
    FollowupPlan,
    FollowupRun,
    FollowupSettings,
    FollowupStep,
    Prospect,
    Tour,
    Unit,
)
from portal.tours.events import TourEvent, subscribe

BATCH_SIZE = 5000
STOP_STAGES = ("applied", "leased", "lost")
PENDING = ("scheduled", "awaiting_review")
# Tour event kind -> the plan it starts.
EVENT_PLANS = {
    "completed": "completed",
    "captured": "completed",
    "no_show": "no_show",
    "cancelled": "cancelled",
}
MESSAGE_ID_DOMAIN = "followups.doorstep"


def due_time(step: FollowupStep, anchor: datetime, zone: ZoneInfo, pace: str = "any") -> datetime:
    """When ``step`` is due after ``anchor``: ``delay_days`` later, at ``send_at`` local time
    when the step names one; a weekly pace spaces priority messages a week apart."""
    days = step.delay_days
    if pace == "weekly" and step.content == "priority":
        days = max(days, 7)
    if step.send_at is None:
        return anchor + timedelta(days=days)
    local_day = anchor.astimezone(zone).date() + timedelta(days=days)
    moment = datetime.combine(local_day, step.send_at, zone).astimezone(anchor.tzinfo)
    return max(moment, anchor)


def _zone_of(run: FollowupRun) -> ZoneInfo:
    prefs = db.session.get(ContactPreference, run.prospect_id)
    if prefs is not None and prefs.time_zone:
        return ZoneInfo(prefs.time_zone)
    return ZoneInfo(run.plan.property.time_zone)


def _pace_of(prospect_id: int) -> str:
    prefs = db.session.get(ContactPreference, prospect_id)
    return prefs.pace if prefs is not None else "any"


def _step_at(plan_id: int, position: int) -> FollowupStep | None:
    return db.session.scalar(
        sa.select(FollowupStep).where(
            FollowupStep.plan_id == plan_id, FollowupStep.position == position
        )
    )


def _schedule_next(run: FollowupRun, anchor: datetime) -> None:
    step = _step_at(run.plan_id, run.next_position)
    if step is None:
        run.status, run.next_due_at, run.next_expires_at = "done", None, None
        return
    due = due_time(step, anchor, _zone_of(run), _pace_of(run.prospect_id))
    run.next_due_at = due
    run.next_expires_at = due + timedelta(days=step.expires_after_days)


def enrol(
    trigger: str, prospect: Prospect, property_id: int, *, now: datetime, tour: Tour | None = None
) -> FollowupRun | None:
    """Start the property's plan for ``trigger`` (once per prospect and tour; flushes).

    The first message row is written at once, in the caller's transaction.
    """
    plan = db.session.scalar(
        sa.select(FollowupPlan).where(
            FollowupPlan.property_id == property_id,
            FollowupPlan.trigger == trigger,
            FollowupPlan.active.is_(True),
        )
    )
    if plan is None or not plan.steps or prospect.erased_at is not None:
        return None
    if prospect.stage in STOP_STAGES:  # the capture said "apply" or "lost": nothing to send
        return None
    existing = db.session.scalar(
        sa.select(FollowupRun).where(
            FollowupRun.plan_id == plan.id,
            FollowupRun.prospect_id == prospect.id,
            FollowupRun.tour_id.is_(None) if tour is None else FollowupRun.tour_id == tour.id,
        )
    )
    if existing is not None:
        return existing
    run = FollowupRun(
        plan=plan,
        prospect_id=prospect.id,
        tour_id=tour.id if tour else None,
        started_at=now,
        next_position=plan.steps[0].position,
    )
    db.session.add(run)
    db.session.flush()
    _schedule_next(run, now)
    db.session.flush()
    plan_messages(now, run_ids=[run.id])
    return run


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
    _schedule_next(run, finished_at)
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


def enrol_favourites(now: datetime, *, quiet_days: int = 2) -> int:
    """Start the favourites plan for consenting prospects with favourites and no tour.

    Only prospects who gave marketing consent, saved a home at least ``quiet_days``
    ago, never booked a tour and are not in that plan already (set-based; flushes).
    """
    has_tour = sa.exists().where(Tour.prospect_id == Prospect.id)
    consent = sa.select(ContactPreference.prospect_id).where(
        ContactPreference.marketing_consent_at.is_not(None),
        ContactPreference.unsubscribed_at.is_(None),
    )
    first_favourite = (
        sa.select(
            Favourite.prospect_id.label("prospect_id"),
            sa.func.min(Unit.property_id).label("property_id"),
        )
        .join(Unit, Unit.id == Favourite.unit_id)
        .where(
            Favourite.prospect_id.is_not(None),
            Favourite.created_at <= now - timedelta(days=quiet_days),
        )
        .group_by(Favourite.prospect_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Prospect, first_favourite.c.property_id)
        .join(first_favourite, first_favourite.c.prospect_id == Prospect.id)
        .where(
            ~has_tour,
            Prospect.id.in_(consent),
            Prospect.erased_at.is_(None),
            Prospect.stage.not_in(STOP_STAGES),
        )
    ).all()
    started = 0
    for prospect, property_id in rows:
        plan_id = db.session.scalar(
            sa.select(FollowupPlan.id).where(
                FollowupPlan.property_id == property_id, FollowupPlan.trigger == "favourites"
            )
        )
        already = plan_id is not None and db.session.scalar(
            sa.select(FollowupRun.id).where(
                FollowupRun.plan_id == plan_id, FollowupRun.prospect_id == prospect.id
            )
        )
        if plan_id is None or already:
            continue
        if enrol("favourites", prospect, property_id, now=now) is not None:
            started += 1
    return started


def on_tour_event(event: TourEvent) -> None:
    """The listener of every tour event (in the event's transaction; flushes)."""
    tour = event.tour
    if event.kind == "booked":
        # The new tour's plan takes over: nothing more about older tours or favourites.
        stop_runs(tour.prospect_id, "another tour booked", now=event.at, keep_tour_id=tour.id)
        return
    trigger = EVENT_PLANS.get(event.kind)
    if trigger is None:
        return
    enrol(trigger, tour.prospect, tour.property_id, now=event.at, tour=tour)


def register(app: Flask) -> None:
    """Subscribe the planner to tour events (called from the factory; once per process)."""
    subscribe(on_tour_event)
