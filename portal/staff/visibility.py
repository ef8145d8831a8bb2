"""Who on the staff sees which properties, tours and prospects: one rule for pages and API.

Agents belong to properties (``PropertyAgent``, edited by admins). An agent sees the
tours of their properties and the prospects who booked a tour there or were assigned
to them; admins see everything; marketers see no personal data in staff views (they
get aggregates and content only, so they get no property here).

Every staff query goes through these filters; a row outside them is a 404 to the
caller, never a 403, so an id gives no hint that it exists.
"""

import sqlalchemy as sa

from portal.extensions import db
from portal.models import Property, PropertyAgent, Prospect, StaffUser, Tour


def sees_everything(staff: StaffUser) -> bool:
    return staff.role == "admin"


def sees_personal_data(staff: StaffUser) -> bool:
    """Marketers work with aggregates and content; agents and admins with people."""
    return staff.role in ("agent", "admin")


def property_ids_of(staff: StaffUser) -> sa.Select:
    """The ids of the properties ``staff`` belongs to, as a subquery."""
    return sa.select(PropertyAgent.property_id).where(PropertyAgent.staff_id == staff.id)


def member_property_ids(staff: StaffUser) -> set[int]:
    return set(db.session.scalars(property_ids_of(staff)))


def visible_tours(staff: StaffUser, stmt: sa.Select) -> sa.Select:
    """Restrict a select over ``Tour`` to the tours ``staff`` may see."""
    if sees_everything(staff):
        return stmt
    if not sees_personal_data(staff):
        return stmt.where(sa.false())
    return stmt.where(Tour.property_id.in_(property_ids_of(staff)))


def visible_prospect_ids(staff: StaffUser) -> sa.Select | None:
    """The prospects ``staff`` may see as a subquery; None means all of them (admins).

    A prospect belongs to an agent through a tour booked at one of their properties or
    by being assigned to them (``Prospect.assigned_agent_id``, the prospects page).
    """
    if sees_everything(staff):
        return None
    if not sees_personal_data(staff):
        return sa.select(Tour.prospect_id).where(sa.false())
    return sa.union(
        sa.select(Tour.prospect_id).where(Tour.property_id.in_(property_ids_of(staff))),
        sa.select(Prospect.id).where(Prospect.assigned_agent_id == staff.id),
    )


def visible_prospects(staff: StaffUser, stmt: sa.Select) -> sa.Select:
    """Restrict a select over ``Prospect`` to the prospects ``staff`` may see."""
    ids = visible_prospect_ids(staff)
    return stmt if ids is None else stmt.where(Prospect.id.in_(ids))


def visible_tour(staff: StaffUser, tour_id: int) -> Tour | None:
    """The tour ``tour_id`` if ``staff`` may see it, else None (the caller answers 404)."""
    return db.session.scalar(visible_tours(staff, sa.select(Tour).where(Tour.id == tour_id)))


def visible_properties(staff: StaffUser) -> list[Property]:
    """The properties ``staff`` works with (all for admins), by name: filter choices."""
    stmt = sa.select(Property).order_by(Property.name)
    if not sees_everything(staff):
        stmt = stmt.where(Property.id.in_(property_ids_of(staff)))
    return list(db.session.scalars(stmt))
