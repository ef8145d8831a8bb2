"""Who enters a plan: tour events enrol the prospect in the property's plan for them (a
completed or captured tour, a no-show, a cancellation), favourites without a tour the
consenting ones. The first message row is written in the same transaction as the event,
with its Message-ID; a newly booked tour stops the older plans (its own takes over).
Services flush; the caller commits.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask

from portal.extensions import db
from portal.followups.planner import STOP_STAGES, plan_messages, stop_runs
from portal.followups.run_timing import schedule_next
from portal.models import (
    ContactPreference,
    Favourite,
    FollowupPlan,
    FollowupRun,
    Prospect,
    Tour,
    Unit,
)
from portal.tours.events import TourEvent, subscribe

# Tour event kind -> the plan it starts.
EVENT_PLANS = {
    "completed": "completed",
    "captured": "completed",
    "no_show": "no_show",
    "cancelled": "cancelled",
}


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
    schedule_next(run, now)
    db.session.flush()
    plan_messages(now, run_ids=[run.id])
    return run


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
