"""Saved homes (favourites) and the side-by-side comparison."""

from flask import abort, flash, redirect, render_template, request, url_for

from portal.extensions import db
from portal.forms import EmptyForm
from portal.htmx import is_htmx
from portal.prospects.compare import MAX_COMPARE, comparison_rows, select_for_compare
from portal.prospects.current import (
    current_fit_context,
    current_owner,
    record_if_allowed,
    safe_next,
    visitor_pages_only,
)
from portal.prospects.favourites import (
    FavouriteRefused,
    add_favourite,
    favourite_ids,
    remove_favourite,
    units_by_ids,
)
from portal.prospects.views import bp


@bp.get("/saved")
@visitor_pages_only
def saved():
    prospect, visitor_id = current_owner()
    units = units_by_ids(favourite_ids(prospect, visitor_id))
    context = current_fit_context()
    fits = {u.id: context.fit(u) for u in units}
    return render_template("prospects/saved.html", units=units, fits=fits, max_compare=MAX_COMPARE)


def _after_change(unit_id: int, saved_now: bool):
    if is_htmx():
        return render_template("prospects/_save_button.html", unit_id=unit_id, is_saved=saved_now)
    return redirect(safe_next(request.form.get("next")) or url_for("prospects.saved"), code=303)


@bp.post("/saved/<int:unit_id>")
@visitor_pages_only
def save(unit_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    prospect, visitor_id = current_owner(create=True)
    try:
        added = add_favourite(unit_id, prospect=prospect, visitor_id=visitor_id)
    except FavouriteRefused as exc:
        db.session.rollback()
        abort(404 if exc.not_found else 400, description=str(exc))
    if added:
        record_if_allowed("favourite_added", unit_id=unit_id)
    db.session.commit()
    if not is_htmx():
        flash("Saved to your homes.", "info")
    return _after_change(unit_id, True)


@bp.post("/saved/<int:unit_id>/remove")
@visitor_pages_only
def unsave(unit_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    prospect, visitor_id = current_owner()
    remove_favourite(unit_id, prospect=prospect, visitor_id=visitor_id)
    db.session.commit()
    if not is_htmx():
        flash("Removed from your saved homes.", "info")
    return _after_change(unit_id, False)


@bp.get("/compare")
@visitor_pages_only
def compare():
    prospect, visitor_id = current_owner()
    comparison = select_for_compare(
        request.args.getlist("ids"), favourite_ids(prospect, visitor_id)
    )
    context = current_fit_context()
    facts = [context.facts_of(u) for u in comparison.units]
    fits = [context.fit(u) for u in comparison.units]
    if len(comparison.units) > 1:
        record_if_allowed("compare_used")
        db.session.commit()
    return render_template(
        "prospects/compare.html",
        comparison=comparison,
        rows=comparison_rows(facts, fits),
        fits=fits,
    )
