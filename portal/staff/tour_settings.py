"""Admins set up tours per property: tour types, opening hours, holidays, confirmation.

Changes apply to new bookings; booked tours keep the time they hold.
"""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for

from portal.auth.session import roles_required
from portal.extensions import db
from portal.models import OpeningHours, Property, PropertyHoliday, TourType
from portal.staff import bp
from portal.staff.availability_forms import WeeklyHoursForm
from portal.staff.tour_settings_forms import ConfirmationSwitchForm, HolidayForm, TourTypeForm
from portal.tours.forms import EmptyForm


def _property_or_404(property_id: int) -> Property:
    prop = db.session.get(Property, property_id)
    if prop is None:
        abort(404, description="No such community.")
    return prop


def _types(prop: Property) -> list[TourType]:
    return list(
        db.session.scalars(
            sa.select(TourType).where(TourType.property_id == prop.id).order_by(TourType.id)
        )
    )


def _page(prop: Property, *, type_forms=None, hours_form=None, holiday_form=None, status=200):
    types = _types(prop)
    forms = {t.id: TourTypeForm(formdata=None, prefix=f"t{t.id}", obj=t) for t in types}
    forms.update(type_forms or {})
    if hours_form is None:
        rows = db.session.scalars(
            sa.select(OpeningHours).where(OpeningHours.property_id == prop.id)
        )
        hours_form = WeeklyHoursForm.filled((r.weekday, r.opens, r.closes) for r in rows)
    holidays = db.session.scalars(
        sa.select(PropertyHoliday)
        .where(PropertyHoliday.property_id == prop.id)
        .order_by(PropertyHoliday.day)
    ).all()
    html = render_template(
        "staff/tour_settings.html",
        property=prop,
        types=types,
        type_forms=forms,
        switch_form=ConfirmationSwitchForm(),
        hours_form=hours_form,
        holiday_form=holiday_form or HolidayForm(),
        holidays=holidays,
        delete_form=EmptyForm(),
    )
    return html, status


def _back(prop: Property, message: str):
    flash(message, "success")
    return redirect(url_for("staff.tour_settings", property_id=prop.id), 303)


@bp.get("/properties/<int:property_id>/tours")
@roles_required("admin")
def tour_settings(property_id: int):
    return _page(_property_or_404(property_id))


@bp.post("/properties/<int:property_id>/tour-types/<int:type_id>")
@roles_required("admin")
def save_tour_type(property_id: int, type_id: int):
    prop = _property_or_404(property_id)
    tour_type = db.session.get(TourType, type_id)
    if tour_type is None or tour_type.property_id != prop.id:
        abort(404)
    form = TourTypeForm(prefix=f"t{type_id}")
    if not form.validate():
        return _page(prop, type_forms={type_id: form}, status=422)
    form.populate_obj(tour_type)
    db.session.commit()
    return _back(prop, f"{tour_type.name} saved.")


@bp.post("/properties/<int:property_id>/confirmation")
@roles_required("admin")
def switch_confirmation(property_id: int):
    prop = _property_or_404(property_id)
    form = ConfirmationSwitchForm()
    if not form.validate():
        return _page(prop, status=422)
    for tour_type in _types(prop):
        tour_type.confirmation = form.confirmation.data
    db.session.commit()
    return _back(prop, "Confirmation set for every tour type.")


@bp.post("/properties/<int:property_id>/opening-hours")
@roles_required("admin")
def save_opening_hours(property_id: int):
    prop = _property_or_404(property_id)
    form = WeeklyHoursForm()
    if not form.validate():
        return _page(prop, hours_form=form, status=422)
    db.session.execute(sa.delete(OpeningHours).where(OpeningHours.property_id == prop.id))
    for weekday, (opens, closes) in form.windows().items():
        db.session.add(
            OpeningHours(property_id=prop.id, weekday=weekday, opens=opens, closes=closes)
        )
    db.session.commit()
    return _back(prop, "Opening hours saved.")


@bp.post("/properties/<int:property_id>/holidays")
@roles_required("admin")
def add_holiday(property_id: int):
    prop = _property_or_404(property_id)
    form = HolidayForm()
    if not form.validate():
        return _page(prop, holiday_form=form, status=422)
    exists = db.session.scalar(
        sa.select(PropertyHoliday.id).where(
            PropertyHoliday.property_id == prop.id, PropertyHoliday.day == form.day.data
        )
    )
    if exists:
        form.day.errors = ["That day is already a holiday."]
        return _page(prop, holiday_form=form, status=422)
    db.session.add(
        PropertyHoliday(property_id=prop.id, day=form.day.data, name=(form.name.data or "").strip())
    )
    db.session.commit()
    return _back(prop, "Holiday added.")


@bp.post("/properties/<int:property_id>/holidays/<int:holiday_id>/delete")
@roles_required("admin")
def delete_holiday(property_id: int, holiday_id: int):
    prop = _property_or_404(property_id)
    holiday = db.session.get(PropertyHoliday, holiday_id)
    if holiday is None or holiday.property_id != prop.id:
        abort(404)
    if not EmptyForm().validate():
        abort(400, description="The form expired; reload the page and try again.")
    db.session.delete(holiday)
    db.session.commit()
    return _back(prop, "Holiday removed.")
