"""Agents' tours: upcoming list with "start video tour", pending requests, reassign, outcome.

Every action is a service of ``portal.tours`` committed through ``commit_booking``.
"""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.session import roles_required
from portal.extensions import db
from portal.forms import EmptyForm
from portal.input_limits import parse_db_id
from portal.models import Property
from portal.models.base import utcnow
from portal.staff.views import bp
from portal.tours.agenda import agents_by_property, tour_for_staff, tours_for_staff
from portal.tours.assignment import confirm_request, reassign_tour
from portal.tours.booking import cancel_tour
from portal.tours.booking_errors import BookingError
from portal.tours.capture import CaptureConflict
from portal.tours.outcomes import record_outcome
from portal.tours.transaction import commit_booking


@bp.get("/tours")
@roles_required("agent")
def tours():
    """The agent's tours, oldest first, with what can be done to each."""
    now = utcnow()
    listed = tours_for_staff(current_user, now)
    return render_template(
        "staff/tours.html",
        tours=listed,
        now=now,
        agents=agents_by_property({t.property_id for t in listed}),
        form=EmptyForm(),
        properties=db.session.scalars(sa.select(Property).order_by(Property.name)).all()
        if current_user.role == "admin"
        else [],
    )


def _act(tour_id: int, action, done: str):
    if not EmptyForm().validate():
        abort(400, description="The form expired; reload the page and try again.")
    tour = tour_for_staff(current_user, tour_id, utcnow())
    if tour is None:
        abort(404, description="No such tour among yours.")
    try:
        commit_booking(lambda: action(tour))
    except BookingError as exc:
        flash(exc.message, "error")
    except CaptureConflict as exc:  # an outcome on a tour that cannot take it
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(done, "success")
    return redirect(url_for("staff.tours"), 303)


def _actor() -> str:
    return f"staff:{current_user.id}"


@bp.post("/tours/<int:tour_id>/confirm")
@roles_required("agent")
def confirm(tour_id: int):
    """Confirm a pending request."""
    return _act(
        tour_id, lambda t: confirm_request(t, now=utcnow(), actor=_actor()), "Request confirmed."
    )


@bp.post("/tours/<int:tour_id>/reassign")
@roles_required("agent")
def reassign(tour_id: int):
    """Give the tour to another agent of the property who is free then."""
    agent_id = parse_db_id(request.form.get("agent_id", ""))
    if agent_id is None:
        if tour_for_staff(current_user, tour_id, utcnow()) is None:
            abort(404, description="No such tour among yours.")  # first: no hint it exists
        abort(400, description="Choose an agent.")
    return _act(
        tour_id,
        lambda t: reassign_tour(t, agent_id, now=utcnow(), actor=_actor()),
        "Tour reassigned.",
    )


@bp.post("/tours/<int:tour_id>/cancel")
@roles_required("agent")
def cancel(tour_id: int):
    """Cancel the tour on the visitor's behalf; they are told by email."""
    return _act(
        tour_id,
        lambda t: cancel_tour(t, now=utcnow(), by="staff", actor=_actor()),
        "Tour cancelled; the visitor has been told.",
    )


@bp.post("/tours/<int:tour_id>/outcome/<any(completed, no_show):outcome>")
@roles_required("agent")
def outcome(tour_id: int, outcome: str):
    """Record that a started tour was completed or missed."""
    return _act(
        tour_id,
        lambda t: record_outcome(t, outcome, now=utcnow(), actor=_actor()),
        "Outcome recorded.",
    )
