"""Admins choose the agents of each property: ``/staff/properties/<id>/agents``."""

from flask import abort, flash, redirect, render_template, url_for

from portal.auth.session import roles_required
from portal.extensions import db
from portal.forms import EmptyForm
from portal.models import Property
from portal.models.base import utcnow
from portal.staff.forms import MemberForm
from portal.staff.views import bp
from portal.tours.membership import (
    MembershipError,
    add_member,
    candidates_for,
    members_of,
    remove_member,
)


def _property_or_404(property_id: int) -> Property:
    return db.get_or_404(Property, property_id, description="No such community.")


def _page(prop: Property, form: MemberForm | None = None, status: int = 200):
    candidates = candidates_for(prop.id)
    form = form or MemberForm()
    form.staff_id.choices = [(a.id, f"{a.name} ({a.email})") for a in candidates]
    html = render_template(
        "staff/members.html",
        property=prop,
        members=members_of(prop.id),
        form=form,
        remove_form=EmptyForm(),
    )
    return html, status


@bp.get("/properties/<int:property_id>/agents")
@roles_required("admin")
def members(property_id: int):
    """The property's agents, with a form to add one and a button to remove each."""
    return _page(_property_or_404(property_id))


@bp.post("/properties/<int:property_id>/agents")
@roles_required("admin")
def add_agent(property_id: int):
    prop = _property_or_404(property_id)
    form = MemberForm()
    form.staff_id.choices = [(a.id, a.name) for a in candidates_for(prop.id)]
    if not form.validate():
        form.staff_id.errors = ["Choose an active agent from the list."]
        return _page(prop, form, 422)
    try:
        row = add_member(prop, form.staff_id.data)
    except MembershipError as exc:
        form.staff_id.errors = [exc.message]
        return _page(prop, form, 422)
    db.session.commit()
    flash(f"{row.staff.name} now leads tours at {prop.name}.", "success")
    return redirect(url_for("staff.members", property_id=prop.id), 303)


@bp.post("/properties/<int:property_id>/agents/<int:staff_id>/remove")
@roles_required("admin")
def remove_agent(property_id: int, staff_id: int):
    prop = _property_or_404(property_id)
    if not EmptyForm().validate():
        abort(400, description="The form expired; reload the page and try again.")
    try:
        upcoming = remove_member(prop, staff_id, utcnow())
    except MembershipError as exc:
        abort(404, description=exc.message)
    db.session.commit()
    message = f"Removed from {prop.name}."
    if upcoming:
        message += (
            f" They still lead {upcoming} upcoming tour{'s' if upcoming != 1 else ''} here;"
            " reassign them on the tours page."
        )
    flash(message, "success")
    return redirect(url_for("staff.members", property_id=prop.id), 303)
