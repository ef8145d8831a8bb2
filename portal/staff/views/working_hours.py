"""An agent's own weekly working hours and dated overrides (time off, extra hours).

The writes are ``portal.tours.working_hours``; changes apply to new bookings only.
"""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.auth.session import roles_required
from portal.extensions import db
from portal.forms import EmptyForm
from portal.staff.forms import OverrideForm, WeeklyHoursForm
from portal.staff.views import bp
from portal.tours import working_hours


def _page(hours_form=None, override_form=None, status=200):
    if hours_form is None:
        hours_form = WeeklyHoursForm.filled(working_hours.weekly_windows(current_user.id))
    html = render_template(
        "staff/working_hours.html",
        hours_form=hours_form,
        override_form=override_form or OverrideForm(),
        overrides=working_hours.overrides_of(current_user.id),
        delete_form=EmptyForm(),
    )
    return html, status


@bp.get("/availability")
@roles_required("agent")
def availability():
    """The agent's weekly hours and overrides, with the forms to change them."""
    return _page()


@bp.post("/availability/hours")
@roles_required("agent")
def save_hours():
    """Replace the agent's weekly hours."""
    form = WeeklyHoursForm()
    if not form.validate():
        return _page(hours_form=form, status=422)
    working_hours.replace_weekly_hours(current_user.id, form.windows())
    db.session.commit()
    flash("Working hours saved.", "success")
    return redirect(url_for("staff.availability"), 303)


@bp.post("/availability/overrides")
@roles_required("agent")
def add_override():
    """Add time off or extra hours on one day."""
    form = OverrideForm()
    if not form.validate():
        return _page(override_form=form, status=422)
    working_hours.add_override(
        current_user.id,
        form.day.data,
        form.kind.data,
        form.starts.data,
        form.ends.data,
        form.note.data or "",
    )
    db.session.commit()
    flash("Saved.", "success")
    return redirect(url_for("staff.availability"), 303)


@bp.post("/availability/overrides/<int:override_id>/delete")
@roles_required("agent")
def delete_override(override_id: int):
    """Remove one of the agent's own overrides."""
    override = working_hours.agent_override(current_user.id, override_id)
    if override is None:
        abort(404)
    if not EmptyForm().validate():
        abort(400, description="The form expired; reload the page and try again.")
    working_hours.remove_override(override)
    db.session.commit()
    return redirect(url_for("staff.availability"), 303)
