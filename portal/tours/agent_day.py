"""The agent's day: today's and the coming days' tours, grouped by property, in its zone.

One query (through ``staff.visibility``) reads the columns a card shows, without
building ORM objects: fifty tours with their property, type, home and agent as
entities were half of the page's time. The grouping by property and local day and
what each tour offers now (start the video call, check in) are decided here, with
``now`` passed in. A :class:`DayTour` is a plain value, so the page can keep a
card's HTML for as long as nothing on it changes (``staff.day_cards``).
"""

import functools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from portal.extensions import db
from portal.models import ACTIVE_STATUSES, Property, StaffUser, Tour, TourType, Unit
from portal.staff.visibility import property_ids_of, visible_tours
from portal.tours.outcomes import CHECK_IN_EARLY, check_in_open

DAYS_AHEAD = 7
# The "Start video tour" button shows from this long before the start until the end.
VIDEO_OPENS = timedelta(minutes=10)
SHOWN_STATUSES = (*ACTIVE_STATUSES, "completed", "no_show")


@dataclass(frozen=True)
class DayTour:
    """One tour of the day as its card and the staff API show it."""

    # The columns of ``_CARD_COLUMNS``, in its order:
    id: int
    version: int
    kind: str
    status: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    property_id: int
    property_name: str
    unit_id: int | None
    unit_number: str | None
    agent_id: int | None
    agent_name: str | None
    prospect_id: int | None
    name: str
    checked_in_at: datetime | None
    video_room_url: str | None
    # Then what ``group_day`` works out:
    local_start: datetime
    local_end: datetime
    can_start_video: bool
    can_check_in: bool


@dataclass
class PropertyDay:
    id: int
    name: str
    time_zone: str
    days: dict[date, list[DayTour]] = field(default_factory=dict)  # local day -> tours

    @property
    def count(self) -> int:
        return sum(len(tours) for tours in self.days.values())


def video_call_open(
    kind: str,
    status: str,
    room_url: str | None,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
) -> bool:
    """Is it time for this tour's video call (a confirmed video tour with a room)?"""
    return (
        kind == "video"
        and bool(room_url)
        and status in ACTIVE_STATUSES
        and status != "requested"
        and starts_at - VIDEO_OPENS <= now <= ends_at
    )


def can_start_video(tour: Tour, now: datetime) -> bool:
    return video_call_open(
        tour.tour_type.kind, tour.status, tour.video_room_url, tour.starts_at, tour.ends_at, now
    )


def _window(now: datetime, days: int) -> tuple[datetime, datetime]:
    # Wide enough for every zone's "today"; the exact local days are cut in Python.
    return now - timedelta(days=1, hours=14), now + timedelta(days=days + 1)


_AGENT = aliased(StaffUser, name="tour_agent")
# What a card shows, named and ordered as DayTour's first fields: a row fills one by
# position (tests/test_staff_day.py holds the two together).
_CARD_COLUMNS = sa.select(
    Tour.id,
    Tour.version,
    TourType.kind,
    Tour.status,
    Tour.starts_at,
    Tour.ends_at,
    Property.time_zone,
    Tour.property_id,
    Property.name.label("property_name"),
    Tour.unit_id,
    Unit.number.label("unit_number"),
    Tour.agent_id,
    _AGENT.name.label("agent_name"),
    Tour.prospect_id,
    Tour.name,
    Tour.checked_in_at,
    Tour.video_room_url,
)


class _Viewer(NamedTuple):
    """Who ``visible_tours`` filters for, with the id left as a bound parameter."""

    role: str
    id: sa.BindParameter


@functools.cache
def _day_statement(role: str, one_agent: bool) -> sa.Select:
    """The day's query for a viewer with ``role``, built once per process.

    The viewer's id, the agent's and the window are bound parameters: building the
    statement on every request was a tenth of the page's time.
    """
    stmt = visible_tours(
        _Viewer(role, sa.bindparam("viewer_id")),
        _CARD_COLUMNS.select_from(Tour)
        .join(Tour.property)
        .join(Tour.tour_type)
        .outerjoin(Tour.unit)
        .outerjoin(_AGENT, Tour.agent_id == _AGENT.id)
        .where(Tour.status.in_(SHOWN_STATUSES)),
    ).where(Tour.starts_at >= sa.bindparam("start"), Tour.starts_at < sa.bindparam("end"))
    if one_agent:
        who = _Viewer("agent", sa.bindparam("agent_id"))
        stmt = stmt.where(
            sa.or_(
                Tour.agent_id == who.id,
                sa.and_(Tour.agent_id.is_(None), Tour.property_id.in_(property_ids_of(who))),
            )
        )
    return stmt.order_by(Property.name, Tour.starts_at, Tour.id)


def day_rows(
    staff: StaffUser,
    now: datetime,
    *,
    agent_id: int | None = None,
    first_day: date | None = None,
    days: int = DAYS_AHEAD,
) -> list[sa.Row]:
    """The card columns of every tour ``day_tours`` may show, by property name and start.

    The window is wide enough for every zone; ``group_day`` cuts the local days.
    """
    if first_day is None:
        start, end = _window(now, days)
    else:
        midnight = datetime.combine(first_day, time(0), UTC)
        start, end = midnight - timedelta(hours=14), midnight + timedelta(days=days, hours=14)
    who = staff if staff.role != "admin" else db.session.get(StaffUser, agent_id or 0)
    if staff.role == "admin" and agent_id is not None and who is None:
        return []
    stmt = _day_statement(staff.role, who is not None)
    params = {"viewer_id": staff.id, "agent_id": who.id if who else None}
    return list(db.session.execute(stmt, {**params, "start": start, "end": end}))


def group_day(
    rows: list[sa.Row], now: datetime, *, first_day: date | None = None, days: int = DAYS_AHEAD
) -> list[PropertyDay]:
    """``day_rows`` by property and local day, with what each tour offers at ``now``."""
    grouped: dict[int, PropertyDay] = {}
    # Per zone: the zone and its first and last local day shown.
    zones: dict[str, tuple[ZoneInfo, date, date]] = {}
    for row in rows:
        if row.time_zone not in zones:
            zone = ZoneInfo(row.time_zone)
            today = first_day or now.astimezone(zone).date()
            zones[row.time_zone] = (zone, today, today + timedelta(days=days))
        zone, first, after = zones[row.time_zone]
        local_start = row.starts_at.astimezone(zone)
        if not first <= local_start.date() < after:
            continue
        group = grouped.get(row.property_id)
        if group is None:
            group = grouped[row.property_id] = PropertyDay(
                row.property_id, row.property_name, row.time_zone
            )
        group.days.setdefault(local_start.date(), []).append(
            DayTour(
                *row,
                local_start=local_start,
                local_end=row.ends_at.astimezone(zone),
                can_start_video=video_call_open(
                    row.kind, row.status, row.video_room_url, row.starts_at, row.ends_at, now
                ),
                can_check_in=check_in_open(
                    row.status, row.checked_in_at, row.starts_at, row.ends_at, now
                ),
            )
        )
    return list(grouped.values())


def regroup_at(rows: list[sa.Row], now: datetime) -> datetime | None:
    """The first instant from ``now`` at which ``group_day(rows, ...)`` may come out
    differently (a button opens or closes, a zone's day turns); None: never.

    Until then the grouping of the same rows is the one made at ``now``.
    """
    moments = []
    for row in rows:
        moments += (row.starts_at - VIDEO_OPENS, row.starts_at - CHECK_IN_EARLY, row.ends_at)
    for name in {row.time_zone for row in rows}:
        local = now.astimezone(ZoneInfo(name))
        midnight = datetime.combine(local.date() + timedelta(days=1), time(0), local.tzinfo)
        moments.append(midnight.astimezone(UTC))
    return min((m for m in moments if m >= now), default=None)


def day_tours(
    staff: StaffUser,
    now: datetime,
    *,
    agent_id: int | None = None,
    first_day: date | None = None,
    days: int = DAYS_AHEAD,
) -> list[PropertyDay]:
    """Tours from ``first_day`` (default: today in each property's zone) for ``days`` days.

    :param agent_id: for admins, one agent's tours (and the self-guided tours of that
        agent's properties); None shows everybody's. Agents always get their own tours
        and the self-guided ones at their properties.
    """
    rows = day_rows(staff, now, agent_id=agent_id, first_day=first_day, days=days)
    return group_day(rows, now, first_day=first_day, days=days)


def tours_on(staff: StaffUser, day: date, now: datetime) -> list[DayTour]:
    """Every tour ``staff`` sees on local ``day`` (in each property's zone), by start."""
    groups = day_tours(staff, now, first_day=day, days=1)
    found = [t for group in groups for listed in group.days.values() for t in listed]
    return sorted(found, key=lambda t: (t.starts_at, t.id))


def tours_today(staff: StaffUser, now: datetime) -> list[DayTour]:
    """Every tour ``staff`` sees today, "today" being the local day in each property's zone."""
    groups = day_tours(staff, now, days=1)
    found = [t for group in groups for listed in group.days.values() for t in listed]
    return sorted(found, key=lambda t: (t.starts_at, t.id))


def tour_counts(now: datetime, days: int = DAYS_AHEAD) -> list[tuple[str, int]]:
    """Aggregates for marketers: how many active tours each property has in the coming days."""
    rows = db.session.execute(
        sa.select(Property.name, sa.func.count(Tour.id))
        .join(Tour, Tour.property_id == Property.id)
        .where(
            Tour.status.in_(ACTIVE_STATUSES),
            Tour.starts_at >= now,
            Tour.starts_at < now + timedelta(days=days),
        )
        .group_by(Property.name)
        .order_by(Property.name)
    ).all()
    return [(name, count) for name, count in rows]
