"""The agent's day: today's and the coming days' tours, grouped by property, in its zone.

One query (through ``staff.visibility``) with what the page shows loaded eagerly;
the grouping by property and local day and what each tour offers now (start the
video call, check in) are decided here, with ``now`` passed in.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import ACTIVE_STATUSES, Property, StaffUser, Tour, Unit
from portal.staff.visibility import property_ids_of, visible_tours
from portal.tours.outcomes import can_check_in

DAYS_AHEAD = 7
# The "Start video tour" button shows from this long before the start until the end.
VIDEO_OPENS = timedelta(minutes=10)
SHOWN_STATUSES = (*ACTIVE_STATUSES, "completed", "no_show")


@dataclass(frozen=True)
class DayTour:
    tour: Tour
    local_start: datetime
    local_end: datetime
    can_start_video: bool
    can_check_in: bool


@dataclass
class PropertyDay:
    property: Property
    days: dict[date, list[DayTour]] = field(default_factory=dict)  # local day -> tours

    @property
    def count(self) -> int:
        return sum(len(tours) for tours in self.days.values())


def can_start_video(tour: Tour, now: datetime) -> bool:
    return (
        tour.tour_type.kind == "video"
        and bool(tour.video_room_url)
        and tour.status in ACTIVE_STATUSES
        and tour.status != "requested"
        and tour.starts_at - VIDEO_OPENS <= now <= tour.ends_at
    )


def _window(now: datetime, days: int) -> tuple[datetime, datetime]:
    # Wide enough for every zone's "today"; the exact local days are cut in Python.
    return now - timedelta(days=1, hours=14), now + timedelta(days=days + 1)


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
    stmt = visible_tours(
        staff,
        sa.select(Tour)
        .join(Tour.property)
        .where(Tour.status.in_(SHOWN_STATUSES))
        .options(
            joinedload(Tour.property),
            joinedload(Tour.tour_type),
            # A card names the home and the agent only: their long columns (a unit's
            # description and its HTML) were most of what 50 tours read.
            joinedload(Tour.unit).load_only(Unit.number),
            joinedload(Tour.agent).load_only(StaffUser.name),
        ),
    )
    if first_day is None:
        start, end = _window(now, days)
    else:
        midnight = datetime.combine(first_day, time(0), UTC)
        start, end = midnight - timedelta(hours=14), midnight + timedelta(days=days, hours=14)
    stmt = stmt.where(Tour.starts_at >= start, Tour.starts_at < end)
    who = staff if staff.role != "admin" else db.session.get(StaffUser, agent_id or 0)
    if staff.role == "admin" and agent_id is not None and who is None:
        return []
    if who is not None:
        stmt = stmt.where(
            sa.or_(
                Tour.agent_id == who.id,
                sa.and_(Tour.agent_id.is_(None), Tour.property_id.in_(property_ids_of(who))),
            )
        )
    grouped: dict[int, PropertyDay] = {}
    for tour in db.session.scalars(stmt.order_by(Property.name, Tour.starts_at, Tour.id)).unique():
        zone = ZoneInfo(tour.property.time_zone)
        local_start = tour.starts_at.astimezone(zone)
        today = first_day or now.astimezone(zone).date()
        if not today <= local_start.date() < today + timedelta(days=days):
            continue
        group = grouped.setdefault(tour.property_id, PropertyDay(tour.property))
        group.days.setdefault(local_start.date(), []).append(
            DayTour(
                tour,
                local_start,
                tour.ends_at.astimezone(zone),
                can_start_video(tour, now),
                can_check_in(tour, now),
            )
        )
    return list(grouped.values())


def tours_on(staff: StaffUser, day: date, now: datetime) -> list[DayTour]:
    """Every tour ``staff`` sees on local ``day`` (in each property's zone), by start."""
    groups = day_tours(staff, now, first_day=day, days=1)
    found = [t for group in groups for listed in group.days.values() for t in listed]
    return sorted(found, key=lambda t: (t.tour.starts_at, t.tour.id))


def tours_today(staff: StaffUser, now: datetime) -> list[DayTour]:
    """Every tour ``staff`` sees today, "today" being the local day in each property's zone."""
    groups = day_tours(staff, now, days=1)
    found = [t for group in groups for listed in group.days.values() for t in listed]
    return sorted(found, key=lambda t: (t.tour.starts_at, t.tour.id))


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
