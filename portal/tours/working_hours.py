"""An agent's own working hours: weekly windows and dated overrides (time off, extra hours).

Changes apply to new bookings; tours already booked keep their time (they hold it).
Writers flush and never commit: the caller commits.
"""

from collections.abc import Mapping
from datetime import date, time

import sqlalchemy as sa

from portal.extensions import db
from portal.models import AgentHours, AgentOverride


def weekly_windows(staff_id: int) -> list[tuple[int, time, time]]:
    """The agent's weekly working hours as (weekday, starts, ends)."""
    rows = db.session.scalars(sa.select(AgentHours).where(AgentHours.staff_id == staff_id))
    return [(r.weekday, r.starts, r.ends) for r in rows]


def replace_weekly_hours(staff_id: int, windows: Mapping[int, tuple[time, time]]) -> None:
    """Replace the agent's weekly hours with ``windows`` (weekday -> (starts, ends))."""
    db.session.execute(sa.delete(AgentHours).where(AgentHours.staff_id == staff_id))
    for weekday, (starts, ends) in windows.items():
        db.session.add(AgentHours(staff_id=staff_id, weekday=weekday, starts=starts, ends=ends))
    db.session.flush()


def overrides_of(staff_id: int) -> list[AgentOverride]:
    return list(
        db.session.scalars(
            sa.select(AgentOverride)
            .where(AgentOverride.staff_id == staff_id)
            .order_by(AgentOverride.day)
        )
    )


def agent_override(staff_id: int, override_id: int) -> AgentOverride | None:
    """One of the agent's own overrides (never another agent's)."""
    override = db.session.get(AgentOverride, override_id)
    return override if override is not None and override.staff_id == staff_id else None


def add_override(
    staff_id: int,
    day: date,
    kind: str,
    starts: time | None = None,
    ends: time | None = None,
    note: str = "",
) -> AgentOverride:
    """Time off (``kind="off"``, the whole day without times) or extra hours on ``day``."""
    override = AgentOverride(
        staff_id=staff_id, day=day, kind=kind, starts=starts, ends=ends, note=note.strip()
    )
    db.session.add(override)
    db.session.flush()
    return override


def remove_override(override: AgentOverride) -> None:
    db.session.delete(override)
    db.session.flush()
