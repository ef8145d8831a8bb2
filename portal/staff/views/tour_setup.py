"""Admins set up tours per property: tour types, opening hours, holidays, confirmation.

The writes are ``portal.tours.setup``; changes apply to new bookings, booked tours keep
the time they hold.
"""

from flask import abort, flash, redirect, render_template, url_for

from portal.auth.session import roles_required
from portal.extensions import db
from portal.forms import EmptyForm
from portal.models import Property
from portal.staff.forms import (
    ConfirmationSwitchForm,
    HolidayForm,
    TourTypeForm,
    UnverifiedInstantForm,
    WeeklyHoursForm,
)
from portal.staff.views import bp
from portal.tours import setup


def _property_or_404(property_id: int) -> Property:
    return db.get_or_404(Property, property_id, description="No such community.")


def _page(
    prop: Property,
    *,
    type_forms=None,
    hours_form=None,
    holiday_form=None,
    unverified_form=None,
    status=200,
):
    types = setup.all_tour_types(prop.id)
    forms = {t.id: TourTypeForm(formdata=None, prefix=f"t{t.id}", obj=t) for t in types}
    forms.update(type_forms or {})
    if hours_form is None:
        hours_form = WeeklyHoursForm.filled(setup.opening_windows(prop.id))
    html = render_template(
        "staff/tour_setup.html",
        property=prop,
        types=types,
        type_forms=forms,
        switch_form=ConfirmationSwitchForm(),
        unverified_form=unverified_form
        or UnverifiedInstantForm(formdata=None, unverified_instant=prop.unverified_instant),
        hours_form=hours_form,
        holiday_form=holiday_form or HolidayForm(),
        holidays=setup.holidays_of(prop.id),
        delete_form=EmptyForm(),
    )
    return html, status


def _back(prop: Property, message: str):
    flash(message, "success")
    return redirect(url_for("staff.tour_settings", property_id=prop.id), 303)


@bp.get("/properties/<int:property_id>/tours")
@roles_required("admin")
def tour_settings(property_id: int):
    """The property's tour types, opening hours and holidays, each with its form."""
    return _page(_property_or_404(property_id))


@bp.post("/properties/<int:property_id>/tour-types/<int:type_id>")
@roles_required("admin")
def save_tour_type(property_id: int, type_id: int):
    """Change one tour type's lengths, horizon, capacity and confirmation."""
    prop = _property_or_404(property_id)
    tour_type = setup.property_tour_type(prop.id, type_id)
    if tour_type is None:
        abort(404)
    form = TourTypeForm(prefix=f"t{type_id}")
    if not form.validate():
        return _page(prop, type_forms={type_id: form}, status=422)
    setup.update_tour_type(tour_type, form.data)
    db.session.commit()
    return _back(prop, f"{tour_type.name} saved.")


@bp.post("/properties/<int:property_id>/confirmation")
@roles_required("admin")
def switch_confirmation(property_id: int):
    """One confirmation mode for every tour type of the property."""
    prop = _property_or_404(property_id)
    form = ConfirmationSwitchForm()
    if not form.validate():
        return _page(prop, status=422)
    setup.set_confirmation(prop.id, form.confirmation.data)
    db.session.commit()
    return _back(prop, "Confirmation set for every tour type.")


@bp.post("/properties/<int:property_id>/unverified-instant")
@roles_required("admin")
def save_unverified_instant(property_id: int):
    """How instant tour types treat an email address nobody has confirmed."""
    prop = _property_or_404(property_id)
    form = UnverifiedInstantForm()
    if not form.validate():
        return _page(prop, unverified_form=form, status=422)
    setup.set_unverified_instant(prop, form.unverified_instant.data)
    db.session.commit()
    return _back(prop, "Saved how instant tours treat unconfirmed email addresses.")


@bp.post("/properties/<int:property_id>/opening-hours")
@roles_required("admin")
def save_opening_hours(property_id: int):
    """Replace the property's weekly opening hours."""
    prop = _property_or_404(property_id)
    form = WeeklyHoursForm()
    if not form.validate():
        return _page(prop, hours_form=form, status=422)
    setup.replace_opening_hours(prop.id, form.windows())
    db.session.commit()
    return _back(prop, "Opening hours saved.")


@bp.post("/properties/<int:property_id>/holidays")
@roles_required("admin")
def add_holiday(property_id: int):
    """Close the property for tours on one day."""
    prop = _property_or_404(property_id)
    form = HolidayForm()
    if not form.validate():
        return _page(prop, holiday_form=form, status=422)
    try:
        setup.add_holiday(prop.id, form.day.data, form.name.data or "")
    except setup.HolidayExists as exc:
        form.day.errors = [str(exc)]
        return _page(prop, holiday_form=form, status=422)
    db.session.commit()
    return _back(prop, "Holiday added.")


@bp.post("/properties/<int:property_id>/holidays/<int:holiday_id>/delete")
@roles_required("admin")
def delete_holiday(property_id: int, holiday_id: int):
    """Open the property again on a holiday."""
    prop = _property_or_404(property_id)
    holiday = setup.property_holiday(prop.id, holiday_id)
    if holiday is None:
        abort(404)
    if not EmptyForm().validate():
        abort(400, description="The form expired; reload the page and try again.")
    setup.remove_holiday(holiday)
    db.session.commit()
    return _back(prop, "Holiday removed.")
