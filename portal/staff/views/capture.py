"""Recording a tour: the completion form at ``/staff/tours/<id>/capture`` and no-show.

The writes are ``portal.tours.capture`` (``record_capture``, ``mark_no_show``); a tour
outside the viewer's properties is a 404, a conflict re-renders the form with 409 and
the tour as it stands now.
"""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.auth.session import roles_required
from portal.extensions import db
from portal.forms import EmptyForm
from portal.input_limits import parse_db_id
from portal.models import Tour, TourCapture, Unit
from portal.models.base import utcnow
from portal.prospects.forms import PrioritiesForm
from portal.prospects.priorities import current_priorities
from portal.staff.forms import CaptureForm, choices
from portal.staff.views import bp
from portal.staff.visibility import visible_tour
from portal.tours.capture import CaptureConflict, CaptureInvalid, record_capture
from portal.tours.outcomes import mark_no_show


def visible_tour_or_404(tour_id: int) -> Tour:
    """The tour ``tour_id`` if the signed-in staff user sees it; else 404, no hint."""
    tour = visible_tour(current_user, tour_id)
    if tour is None:
        abort(404, description="No such tour among yours.")
    return tour


def _units(tour: Tour) -> list[Unit]:
    return list(
        db.session.scalars(
            sa.select(Unit).where(Unit.property_id == tour.property_id).order_by(Unit.number)
        )
    )


def _existing(tour: Tour) -> TourCapture | None:
    return db.session.scalar(sa.select(TourCapture).where(TourCapture.tour_id == tour.id))


def _forms(tour: Tour, formdata=None) -> tuple[CaptureForm, PrioritiesForm]:
    form = CaptureForm(formdata=formdata) if formdata is not None else CaptureForm()
    form.units_shown.choices = choices((u.id, f"{u.number} · {u.title}") for u in _units(tour))
    # The same questions as the prospect's questionnaire; one CSRF token (the capture's).
    priorities = PrioritiesForm(prefix="priorities", meta={"csrf": False})
    return form, priorities


def _page(tour, form, priorities, *, conflict=None, status=200):
    return (
        render_template(
            "staff/capture.html",
            tour=tour,
            form=form,
            priorities_form=priorities,
            existing=_existing(tour),
            conflict=conflict,
            no_show_form=EmptyForm(),
        ),
        status,
    )


def _fill(form: CaptureForm, priorities: PrioritiesForm, tour: Tour) -> None:
    form.version.data = str(tour.version)
    existing = _existing(tour)
    if existing is not None:
        for name in ("units_shown", "liked", "objections", "objection_note", "notes"):
            form[name].data = getattr(existing, name)
        form.interest_level.data = str(existing.interest_level)
        form.next_step.data = existing.next_step
        form.decide_by.data = existing.decide_by
        form.lost_reason.data = existing.lost_reason or ""
    priorities.fill_from(current_priorities(tour.prospect))


@bp.get("/tours/<int:tour_id>/capture")
@roles_required("agent")
def capture(tour_id: int):
    """The completion form, filled with what was recorded before (it is edited in place)."""
    tour = visible_tour_or_404(tour_id)
    form, priorities = _forms(tour, formdata=None)
    _fill(form, priorities, tour)
    return _page(tour, form, priorities)


@bp.post("/tours/<int:tour_id>/capture")
@roles_required("agent")
def save_capture(tour_id: int):
    """Record the tour as completed with what was learned; conflicts overwrite nothing."""
    tour = visible_tour_or_404(tour_id)
    form, priorities = _forms(tour)
    version = parse_db_id(form.version.data or "")
    form_ok = form.validate()
    priorities_ok = priorities.validate()
    if version is None:
        form.version.errors = ["The form is incomplete; reload the page."]
        form_ok = False
    if not (form_ok and priorities_ok):
        return _page(tour, form, priorities, status=422)
    answers = form.answers() | {"priorities": priorities.to_priorities()}
    try:
        record_capture(tour, current_user, answers, expected_version=version, now=utcnow())
    except CaptureInvalid as exc:
        db.session.rollback()
        tour = visible_tour_or_404(tour_id)
        _show_errors(form, priorities, exc.fields)
        return _page(tour, form, priorities, status=422)
    except CaptureConflict as exc:
        db.session.rollback()
        tour = visible_tour_or_404(tour_id)
        form.version.data = str(tour.version)
        return _page(tour, form, priorities, conflict=exc, status=409)
    db.session.commit()
    flash("Tour recorded.", "success")
    return redirect(url_for("staff.prospect", prospect_id=tour.prospect_id), 303)


@bp.post("/tours/<int:tour_id>/no-show")
@roles_required("agent")
def no_show(tour_id: int):
    """Record that the visitor did not come."""
    if not EmptyForm().validate():
        abort(400, description="The form expired; reload the page and try again.")
    tour = visible_tour_or_404(tour_id)
    version = parse_db_id(CaptureForm().version.data or "")
    try:
        mark_no_show(tour, current_user, version or 0, utcnow())
    except CaptureConflict as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("staff.capture", tour_id=tour_id), 303)
    db.session.commit()
    flash("Marked as a no-show.", "success")
    return redirect(url_for("staff.capture", tour_id=tour_id), 303)


def _show_errors(form: CaptureForm, priorities: PrioritiesForm, fields: dict[str, str]) -> None:
    for name, message in fields.items():
        sentence = message[:1].upper() + message[1:] + "."
        key = name.removeprefix("priorities.")
        if name.startswith("priorities.") and key in priorities:
            target = priorities[key]
        elif name.startswith("priorities.") and f"importance_{key}" in priorities:
            target = priorities[f"importance_{key}"]
        else:
            target = form._fields.get(name, form.notes)
        target.errors = [*target.errors, sentence]
