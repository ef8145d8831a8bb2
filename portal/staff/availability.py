"""An agent's own weekly working hours and dated overrides (time off, extra hours).

Changes apply to new bookings; tours already booked keep their time (they hold it).
"""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.auth.session import roles_required
from portal.extensions import db
from portal.models import AgentHours, AgentOverride
from portal.staff import bp
from portal.staff.availability_forms import OverrideForm, WeeklyHoursForm
from portal.tours.forms import EmptyForm


def _page(hours_form=None, override_form=None, status=200):
    overrides = db.session.scalars(
        sa.select(AgentOverride)
        .where(AgentOverride.staff_id == current_user.id)
        .order_by(AgentOverride.day)
    ).all()
    if hours_form is None:
        rows = db.session.scalars(
            sa.select(AgentHours).where(AgentHours.staff_id == current_user.id)
        )
        hours_form = WeeklyHoursForm.filled((r.weekday, r.starts, r.ends) for r in rows)
    html = render_template(
        "staff/availability.html",
        hours_form=hours_form,
        override_form=override_form or OverrideForm(),
        overrides=overrides,
        delete_form=EmptyForm(),
    )
    return html, status


@bp.get("/availability")
@roles_required("agent")
def availability():
    return _page()


@bp.post("/availability/hours")
@roles_required("agent")
def save_hours():
    form = WeeklyHoursForm()
    if not form.validate():
        return _page(hours_form=form, status=422)
    db.session.execute(sa.delete(AgentHours).where(AgentHours.staff_id == current_user.id))
    for weekday, (starts, ends) in form.windows().items():
        db.session.add(
            AgentHours(staff_id=current_user.id, weekday=weekday, starts=starts, ends=ends)
        )
    db.session.commit()
    flash("Working hours saved.", "success")
    return redirect(url_for("staff.availability"), 303)


@bp.post("/availability/overrides")
@roles_required("agent")
def add_override():
    form = OverrideForm()
    if not form.validate():
        return _page(override_form=form, status=422)
    db.session.add(
        AgentOverride(
            staff_id=current_user.id,
            day=form.day.data,
            kind=form.kind.data,
            starts=form.starts.data,
            ends=form.ends.data,
            note=(form.note.data or "").strip(),
        )
    )
    db.session.commit()
    flash("Saved.", "success")
    return redirect(url_for("staff.availability"), 303)


@bp.post("/availability/overrides/<int:override_id>/delete")
@roles_required("agent")
def delete_override(override_id: int):
    override = db.session.get(AgentOverride, override_id)
    if override is None or override.staff_id != current_user.id:
        abort(404)
    if not EmptyForm().validate():
        abort(400, description="The form expired; reload the page and try again.")
    db.session.delete(override)
    db.session.commit()
    return redirect(url_for("staff.availability"), 303)
