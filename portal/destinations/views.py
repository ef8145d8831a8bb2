"""A visitor's places (work, school...): add, remove, and address autocomplete."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from portal.destinations.forms import DestinationForm
from portal.destinations.store import TooManyDestinations
from portal.extensions import db, limiter
from portal.geo.commute import Destination
from portal.geo.gazetteer import LocalGazetteer
from portal.geo.geocoding import resolve_address
from portal.htmx import is_htmx, render_page_or_partial
from portal.prospects.current import (
    add_destination,
    current_destinations,
    record_if_allowed,
    remove_destination,
)
from portal.settings import geo_settings

# The URLs stay under /commute/, where visitors and links already know them.
bp = Blueprint("destinations", __name__, url_prefix="/commute")


def _render(form: DestinationForm, status: int = 200):
    html = render_page_or_partial(
        "destinations/index.html",
        "destinations/_places.html",
        form=form,
        destinations=current_destinations(),
    )
    return html, status


@bp.get("/")
def index():
    return _render(DestinationForm())


@bp.post("/")
@limiter.limit("30 per minute")
def add():
    form = DestinationForm()
    if not form.validate():
        return _render(form, 400)
    outcome = resolve_address(form.address.data, geo_settings())
    if not outcome.found:
        form.address.errors = [outcome.message]
        return _render(form, 422)
    try:
        add_destination(
            Destination(
                label=form.label.data.strip(),
                address=outcome.location.address,
                lat=outcome.point[0],
                lon=outcome.point[1],
                mode=form.mode.data,
                arrive_by=form.arrive_by.data.strftime("%H:%M") if form.arrive_by.data else None,
            ),
        )
    except TooManyDestinations as exc:
        form.address.errors = [str(exc)]
        return _render(form, 422)
    # A commute the visitor checks is a strong hint of what matters (kept only with consent).
    record_if_allowed("commute_checked", topic=form.label.data.strip())
    db.session.commit()
    if is_htmx():
        return _render(DestinationForm(formdata=None))
    return redirect(url_for("destinations.index"), 303)


@bp.post("/<int:index>/delete")
def delete(index: int):
    remove_destination(index)
    db.session.commit()
    if is_htmx():
        return _render(DestinationForm(formdata=None))
    return redirect(url_for("destinations.index"), 303)


@bp.get("/suggest")
@limiter.limit("120 per minute")
def suggest():
    """Autocomplete options for an address field (htmx swaps them into a datalist)."""
    text = (request.args.get("address") or request.args.get("commute_to") or "")[:200]
    options = (
        LocalGazetteer().suggest(text) if current_app.config["GEO_GEOCODER"] == "local" else []
    )
    return render_template("destinations/_suggestions.html", options=options)
