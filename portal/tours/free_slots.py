"""Free tour slots: availability rules and busy time read from the database, handed to ``slots``.

``slots`` computes; this module only reads (opening hours, holidays, agents' hours,
claims and self-guided counts) and never writes.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from portal.extensions import db
from portal.models import (
    ACTIVE_STATUSES,
    AgentHours,
    AgentOverride,
    OpeningHours,
    PropertyAgent,
    PropertyHoliday,
    SlotCapacity,
    SlotClaim,
    StaffUser,
    Tour,
    TourType,
)
from portal.tours.slots import GRID, AgentSchedule, Slot, SlotRules, agent_slots, capacity_slots


def rules_for(tour_type: TourType) -> SlotRules:
    opening: dict[int, list] = defaultdict(list)
    for row in db.session.scalars(
        sa.select(OpeningHours).where(OpeningHours.property_id == tour_type.property_id)
    ):
        opening[row.weekday].append((row.opens, row.closes))
    holidays = db.session.scalars(
        sa.select(PropertyHoliday.day).where(PropertyHoliday.property_id == tour_type.property_id)
    )
    return SlotRules(
        time_zone=ZoneInfo(tour_type.property.time_zone),
        duration=timedelta(minutes=tour_type.duration_minutes),
        interval=timedelta(minutes=tour_type.interval_minutes),
        buffer_before=timedelta(minutes=tour_type.buffer_before_minutes),
        buffer_after=timedelta(minutes=tour_type.buffer_after_minutes),
        min_notice=timedelta(minutes=tour_type.min_notice_minutes),
        horizon_days=tour_type.horizon_days,
        capacity=tour_type.capacity,
        opening=dict(opening),
        holidays=frozenset(holidays),
    )


def agent_ids_by_load(property_id: int, now: datetime) -> list[int]:
    """The property's active agents, least loaded first (fair round-robin on ties).

    Load is the number of upcoming active tours; among equals, the agent whose last
    assignment is oldest comes first, so equal agents take turns.
    """
    upcoming = (
        sa.select(sa.func.count(Tour.id))
        .where(
            Tour.agent_id == StaffUser.id,
            Tour.status.in_(ACTIVE_STATUSES),
            Tour.starts_at >= now,
        )
        .scalar_subquery()
    )
    last_assigned = (
        sa.select(sa.func.max(Tour.created_at)).where(Tour.agent_id == StaffUser.id)
    ).scalar_subquery()
    rows = db.session.execute(
        sa.select(StaffUser.id, upcoming, last_assigned)
        .join(PropertyAgent, PropertyAgent.staff_id == StaffUser.id)
        .where(PropertyAgent.property_id == property_id, StaffUser.active.is_(True))
    ).all()
    epoch = datetime.min.replace(tzinfo=UTC)

    def key(row):
        last = row[2]
        if last is not None and last.tzinfo is None:  # SQLite aggregates lose the type
            last = last.replace(tzinfo=UTC)
        return (row[1], last or epoch, row[0])

    return [row[0] for row in sorted(rows, key=key)]


def _parse_instant(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def agent_schedules(
    agent_ids: list[int], first: date, last: date, *, ignore_tour_id: int | None = None
) -> list[AgentSchedule]:
    """Weekly hours, overrides between ``first`` and ``last`` and busy cells, per agent."""
    weekly: dict[int, dict[int, list]] = {a: defaultdict(list) for a in agent_ids}
    for row in db.session.scalars(sa.select(AgentHours).where(AgentHours.staff_id.in_(agent_ids))):
        weekly[row.staff_id][row.weekday].append((row.starts, row.ends))
    off: dict[int, dict[date, list]] = {a: defaultdict(list) for a in agent_ids}
    extra: dict[int, dict[date, list]] = {a: defaultdict(list) for a in agent_ids}
    for row in db.session.scalars(
        sa.select(AgentOverride).where(
            AgentOverride.staff_id.in_(agent_ids), AgentOverride.day.between(first, last)
        )
    ):
        window = (row.starts, row.ends) if row.starts is not None else None
        (off if row.kind == "off" else extra)[row.staff_id][row.day].append(window)
    busy: dict[int, list] = {a: [] for a in agent_ids}
    claims = sa.select(SlotClaim.agent_id, SlotClaim.cell_start).where(
        SlotClaim.agent_id.in_(agent_ids),
        SlotClaim.cell_start
        >= datetime.combine(first - timedelta(days=2), datetime.min.time(), UTC),
        SlotClaim.cell_start < datetime.combine(last + timedelta(days=2), datetime.min.time(), UTC),
    )
    if ignore_tour_id is not None:
        claims = claims.where(SlotClaim.tour_id != ignore_tour_id)
    for agent_id, cell in db.session.execute(claims):
        cell = _parse_instant(cell)
        busy[agent_id].append((cell, cell + GRID))
    return [
        AgentSchedule(a, dict(weekly[a]), dict(off[a]), dict(extra[a]), tuple(busy[a]))
        for a in agent_ids
    ]


def booked_counts(
    tour_type: TourType, first: date, last: date, *, ignore_tour: Tour | None = None
) -> dict[datetime, int]:
    rows = db.session.execute(
        sa.select(SlotCapacity.slot_start, SlotCapacity.booked).where(
            SlotCapacity.tour_type_id == tour_type.id,
            SlotCapacity.slot_start
            >= datetime.combine(first - timedelta(days=1), datetime.min.time(), UTC),
            SlotCapacity.slot_start
            < datetime.combine(last + timedelta(days=2), datetime.min.time(), UTC),
        )
    )
    counts = {_parse_instant(start): booked for start, booked in rows}
    if ignore_tour is not None and ignore_tour.starts_at in counts:
        counts[ignore_tour.starts_at] -= 1
    return counts


def slots_by_day(
    tour_type: TourType,
    first: date,
    last: date,
    now: datetime,
    *,
    ignore_tour: Tour | None = None,
) -> dict[date, list[Slot]]:
    """Free slots of ``tour_type`` on each local day from ``first`` to ``last``."""
    rules = rules_for(tour_type)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    if tour_type.needs_agent:
        agent_ids = agent_ids_by_load(tour_type.property_id, now)
        agents = agent_schedules(
            agent_ids, first, last, ignore_tour_id=ignore_tour.id if ignore_tour else None
        )
        return {day: agent_slots(rules, day, agents, now) for day in days}
    booked = booked_counts(tour_type, first, last, ignore_tour=ignore_tour)
    return {day: capacity_slots(rules, day, booked, now) for day in days}


def booking_window(tour_type: TourType, now: datetime) -> tuple[date, date]:
    """The first and last local day a tour of this type can be booked on."""
    today = now.astimezone(ZoneInfo(tour_type.property.time_zone)).date()
    return today, today + timedelta(days=tour_type.horizon_days)


@dataclass(frozen=True)
class DayPlan:
    """The days a tour type can be booked on, and the slots of the chosen day."""

    days: list[tuple[date, int]]  # (local day, free slots), only days with slots
    day: date | None
    slots: list[Slot]


def plan_days(
    tour_type: TourType, wanted: date | None, now: datetime, ignore_tour: Tour | None = None
) -> DayPlan:
    """The picker's days with free slots, and the slots of ``wanted`` (else the first day)."""
    first, last = booking_window(tour_type, now)
    by_day = slots_by_day(tour_type, first, last, now, ignore_tour=ignore_tour)
    days = [(d, len(s)) for d, s in by_day.items() if s]
    day = wanted if wanted in by_day else (days[0][0] if days else None)
    return DayPlan(days, day, by_day.get(day, []) if day else [])
