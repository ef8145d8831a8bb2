"""The agent's day at ``/staff/``: today's and the coming days' tours, by property.

Agents see their own tours and the self-guided ones at their properties; admins
choose an agent or everybody; marketers (no personal data) see how many tours each
community has coming up. Check-in is ``tours.outcomes.check_in``.
"""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from portal.auth.session import roles_required
from portal.extensions import db
from portal.forms import EmptyForm
from portal.input_limits import parse_db_id
from portal.listings.services import units_by_status
from portal.models import Property, StaffUser, Tour
from portal.models.base import utcnow
from portal.staff.day_section import day_section
from portal.staff.views import bp
from portal.staff.visibility import sees_everything, sees_personal_data, visible_tours
from portal.tours.agent_day import DAYS_AHEAD, day_rows, tour_counts
from portal.tours.booking_errors import TourClosed
from portal.tours.outcomes import check_in


def _chosen_agent() -> tuple[int | None, str | None]:
    """The admin's agent filter from ``?agent=``: (id or None for all, error message)."""
    raw = request.args.get("agent", "")
    if raw in ("", "all"):
        return None, None
    agent_id = parse_db_id(raw)
    if agent_id is None or db.session.get(StaffUser, agent_id) is None:
        return None, "Choose an agent from the list; showing everybody's tours."
    return agent_id, None


@bp.get("/")
@roles_required("agent", "marketer")
def index():
    """The agent's day (agents, admins) or the communities' tour counts (marketers)."""
    now = utcnow()
    if not sees_personal_data(current_user):
        return render_template(
            "staff/index.html",
            day=None,
            counts=tour_counts(now),
            summary=units_by_status(),
            days_ahead=DAYS_AHEAD,
        )
    agent_id, problem, agents = None, None, []
    if sees_everything(current_user):
        agent_id, problem = _chosen_agent()
        agents = db.session.scalars(
            sa.select(StaffUser)
            .where(StaffUser.role == "agent", StaffUser.active.is_(True))
            .order_by(StaffUser.name)
        ).all()
    status = 200
    if problem:
        flash(problem, "error")
        status = 422
    html = render_template(
        "staff/index.html",
        day=day_section(
            day_rows(current_user, now, agent_id=agent_id),
            now,
            show_agent=agent_id is None and bool(agents),
        ),
        now=now,
        agents=agents,
        agent_id=agent_id,
        properties=db.session.scalars(sa.select(Property).order_by(Property.name)).all()
        if sees_everything(current_user)
        else [],
        form=EmptyForm(),
        days_ahead=DAYS_AHEAD,
    )
    return html, status


@bp.post("/tours/<int:tour_id>/check-in")
@roles_required("agent")
def check_in_tour(tour_id: int):
    """The visitor has arrived (or joined the call)."""
    if not EmptyForm().validate():
        abort(400, description="The form expired; reload the page and try again.")
    tour = db.session.scalar(visible_tours(current_user, sa.select(Tour).where(Tour.id == tour_id)))
    if tour is None:
        abort(404, description="No such tour among yours.")
    try:
        check_in(tour, current_user, utcnow())
        db.session.commit()
    except TourClosed as exc:
        db.session.rollback()
        flash(exc.message, "error")
    except StaleDataError:
        db.session.rollback()
        flash("This tour changed meanwhile; here it is as it is now.", "error")
    else:
        flash(f"{tour.name} is checked in.", "success")
    return redirect(url_for("staff.index", _anchor=f"tour-{tour_id}"), 303)
