"""Agents' tours: upcoming list with "start video tour", pending requests, reassign, outcome."""

from datetime import timedelta

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.session import roles_required
from portal.extensions import db
from portal.models import ACTIVE_STATUSES, Property, PropertyAgent, StaffUser, Tour
from portal.models.base import utcnow
from portal.staff import bp
from portal.tours.assignment import confirm_request, reassign_tour, record_outcome
from portal.tours.booking import BookingError, cancel_tour
from portal.tours.forms import EmptyForm
from portal.tours.transaction import commit_booking

RECENT = timedelta(days=2)  # started tours stay listed this long, to record the outcome


def _visible_tours():
    """Agents see their own tours and requests at their properties; admins see all."""
    stmt = sa.select(Tour).where(
        sa.or_(Tour.status.in_(ACTIVE_STATUSES), Tour.status.in_(("completed", "no_show"))),
        Tour.ends_at >= utcnow() - RECENT,
    )
    if current_user.role != "admin":
        served = sa.select(PropertyAgent.property_id).where(
            PropertyAgent.staff_id == current_user.id
        )
        stmt = stmt.where(
            sa.or_(
                Tour.agent_id == current_user.id,
                sa.and_(Tour.agent_id.is_(None), Tour.property_id.in_(served)),
            )
        )
    return stmt.order_by(Tour.starts_at)


def _agents_by_property(property_ids: set[int]) -> dict[int, list[StaffUser]]:
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


@bp.get("/tours")
@roles_required("agent")
def tours():
    """The agent's tours, oldest first, with what can be done to each."""
    listed = db.session.scalars(_visible_tours()).all()
    return render_template(
        "staff/tours.html",
        tours=listed,
        now=utcnow(),
        agents=_agents_by_property({t.property_id for t in listed}),
        form=EmptyForm(),
        properties=db.session.scalars(sa.select(Property).order_by(Property.name)).all()
        if current_user.role == "admin"
        else [],
    )


def _tour_for_staff(tour_id: int) -> Tour:
    tour = db.session.scalar(_visible_tours().where(Tour.id == tour_id))
    if tour is None:
        abort(404, description="No such tour among yours.")
    return tour


def _act(tour_id: int, action, done: str):
    if not EmptyForm().validate():
        abort(400, description="The form expired; reload the page and try again.")
    tour = _tour_for_staff(tour_id)
    try:
        commit_booking(lambda: action(tour))
    except BookingError as exc:
        flash(exc.message, "error")
    else:
        flash(done, "success")
    return redirect(url_for("staff.tours"), 303)


def _actor() -> str:
    return f"staff:{current_user.id}"


@bp.post("/tours/<int:tour_id>/confirm")
@roles_required("agent")
def confirm(tour_id: int):
    return _act(
        tour_id, lambda t: confirm_request(t, now=utcnow(), actor=_actor()), "Request confirmed."
    )


@bp.post("/tours/<int:tour_id>/reassign")
@roles_required("agent")
def reassign(tour_id: int):
    agent_id = request.form.get("agent_id", type=int)
    if agent_id is None:
        abort(400, description="Choose an agent.")
    return _act(
        tour_id,
        lambda t: reassign_tour(t, agent_id, now=utcnow(), actor=_actor()),
        "Tour reassigned.",
    )


@bp.post("/tours/<int:tour_id>/cancel")
@roles_required("agent")
def cancel(tour_id: int):
    return _act(
        tour_id,
        lambda t: cancel_tour(t, now=utcnow(), by="staff", actor=_actor()),
        "Tour cancelled; the visitor has been told.",
    )


@bp.post("/tours/<int:tour_id>/outcome/<any(completed, no_show):outcome>")
@roles_required("agent")
def outcome(tour_id: int, outcome: str):
    return _act(
        tour_id,
        lambda t: record_outcome(t, outcome, now=utcnow(), actor=_actor()),
        "Outcome recorded.",
    )
