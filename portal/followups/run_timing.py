"""When a run's next step is due: the step's delay and local send time, in the prospect's
zone (else the property's), spaced by their pace."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from portal.extensions import db
from portal.models import ContactPreference, FollowupRun, FollowupStep


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


def schedule_next(run: FollowupRun, anchor: datetime) -> None:
    """Set when ``run``'s next step is due and expires, or finish it without one."""
    step = _step_at(run.plan_id, run.next_position)
    if step is None:
        run.status, run.next_due_at, run.next_expires_at = "done", None, None
        return
    due = due_time(step, anchor, _zone_of(run), _pace_of(run.prospect_id))
    run.next_due_at = due
    run.next_expires_at = due + timedelta(days=step.expires_after_days)
