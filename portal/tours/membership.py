"""Which agents lead tours at which property (``PropertyAgent``): the rows admins edit.

Booking (``tours.free_slots.agent_ids_by_load``) and reassignment
(``tours.assignment.reassign_tour``) pick only members; an agent sees the tours and
prospects of the properties they belong to (``staff.visibility``).
"""

from datetime import datetime

import sqlalchemy as sa

from portal.extensions import db
from portal.models import ACTIVE_STATUSES, Property, PropertyAgent, StaffUser, Tour


class MembershipError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def members_of(property_id: int) -> list[StaffUser]:
    """The property's agents, by name."""
    return list(
        db.session.scalars(
            sa.select(StaffUser)
            .join(PropertyAgent, PropertyAgent.staff_id == StaffUser.id)
            .where(PropertyAgent.property_id == property_id)
            .order_by(StaffUser.name, StaffUser.id)
        )
    )


def candidates_for(property_id: int) -> list[StaffUser]:
    """Active agents who do not belong to the property yet."""
    members = sa.select(PropertyAgent.staff_id).where(PropertyAgent.property_id == property_id)
    return list(
        db.session.scalars(
            sa.select(StaffUser)
            .where(
                StaffUser.role == "agent",
                StaffUser.active.is_(True),
                StaffUser.id.not_in(members),
            )
            .order_by(StaffUser.name, StaffUser.id)
        )
    )


def add_member(prop: Property, staff_id: int) -> PropertyAgent:
    """Make an active agent a member of ``prop`` (flushes).

    :raises MembershipError: not an active agent, or already a member.
    """
    agent = db.session.get(StaffUser, staff_id)
    if agent is None or agent.role != "agent" or not agent.active:
        raise MembershipError("Choose an active agent.")
    exists = db.session.scalar(
        sa.select(PropertyAgent.id).where(
            PropertyAgent.property_id == prop.id, PropertyAgent.staff_id == staff_id
        )
    )
    if exists:
        raise MembershipError(f"{agent.name} already leads tours here.")
    row = PropertyAgent(property_id=prop.id, staff_id=staff_id)
    db.session.add(row)
    db.session.flush()
    return row


def remove_member(prop: Property, staff_id: int, now: datetime) -> int:
    """Remove an agent from ``prop`` (flushes); returns their upcoming tours there.

    Tours already booked with the agent keep their agent (and the time they hold):
    the admin reassigns them from the tours page. New bookings no longer pick them.

    :raises MembershipError: the agent is not a member.
    """
    row = db.session.scalar(
        sa.select(PropertyAgent).where(
            PropertyAgent.property_id == prop.id, PropertyAgent.staff_id == staff_id
        )
    )
    if row is None:
        raise MembershipError("That agent does not belong to this community.")
    db.session.delete(row)
    db.session.flush()
    return (
        db.session.scalar(
            sa.select(sa.func.count(Tour.id)).where(
                Tour.property_id == prop.id,
                Tour.agent_id == staff_id,
                Tour.status.in_(ACTIVE_STATUSES),
                Tour.starts_at > now,
            )
        )
        or 0
    )
