"""The staff's tour list: which tours a staff member sees (and may act on), who could lead them.

Agents see their own tours and the unassigned requests at the properties they serve;
admins see every tour. Started tours stay listed for ``RECENT`` so their outcome can
be recorded.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa

from portal.extensions import db
from portal.models import ACTIVE_STATUSES, PropertyAgent, StaffUser, Tour

RECENT = timedelta(days=2)


def _visible(staff: StaffUser, now: datetime) -> sa.Select:
    stmt = sa.select(Tour).where(
        sa.or_(Tour.status.in_(ACTIVE_STATUSES), Tour.status.in_(("completed", "no_show"))),
        Tour.ends_at >= now - RECENT,
    )
    if staff.role != "admin":
        served = sa.select(PropertyAgent.property_id).where(PropertyAgent.staff_id == staff.id)
        stmt = stmt.where(
            sa.or_(
                Tour.agent_id == staff.id,
                sa.and_(Tour.agent_id.is_(None), Tour.property_id.in_(served)),
            )
        )
    return stmt.order_by(Tour.starts_at)


def tours_for_staff(staff: StaffUser, now: datetime) -> list[Tour]:
    """The tours ``staff`` sees, oldest first."""
    return list(db.session.scalars(_visible(staff, now)))


def tour_for_staff(staff: StaffUser, tour_id: int, now: datetime) -> Tour | None:
    """The tour ``tour_id`` if ``staff`` sees it, else None (another agent's tour)."""
    return db.session.scalar(_visible(staff, now).where(Tour.id == tour_id))


def agents_by_property(property_ids: set[int]) -> dict[int, list[StaffUser]]:
    """The active agents of each property, by name: whom a tour can be reassigned to."""
    rows = db.session.execute(
        sa.select(PropertyAgent.property_id, StaffUser)
        .join(StaffUser, StaffUser.id == PropertyAgent.staff_id)
        .where(PropertyAgent.property_id.in_(property_ids), StaffUser.active.is_(True))
        .order_by(StaffUser.name)
    ).all()
    agents: dict[int, list[StaffUser]] = {}
    for property_id, agent in rows:
        agents.setdefault(property_id, []).append(agent)
    return agents
