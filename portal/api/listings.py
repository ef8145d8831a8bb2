from flask import abort, current_app, jsonify, request

from portal.api import bp
from portal.api.geo import geocode_error
from portal.api.serializers import listing_json
from portal.errors import api_error
from portal.extensions import db
from portal.geo.neighbourhood_store import neighbourhood_of
from portal.listings.commute import search_with_commute
from portal.listings.forms import ListingFilterForm
from portal.listings.services import get_listing
from portal.settings import geo_settings


@bp.get("/listings")
def listings():
    form = ListingFilterForm(request.args)
    if not form.validate():
        return api_error(400, "invalid_filter", "Some filters are not valid.", form.field_errors())
    per_page = current_app.config["LISTINGS_PER_PAGE"]
    results, outcome = search_with_commute(form, per_page)
    if results is None:
        return geocode_error(outcome, "commute_to")
    items = []
    for unit in results.items:
        data = listing_json(unit)
        commute = results.commutes.get(unit.id)
        if commute is not None:
            data["commute"] = commute_json(commute)
        items.append(data)
    return jsonify(
        {
            "items": items,
            "total": results.total,
            "page": results.page,
            "pages": results.pages,
            "per_page": results.per_page,
        }
    )


def commute_json(result) -> dict:
    return {
        "mode": result.mode,
        "status": result.status,
        "minutes": result.minutes,
        "metres": result.metres,
        "engine": result.engine,
        "estimate": result.estimate,
    }


@bp.get("/listings/<int:unit_id>")
def listing(unit_id: int):
    unit = get_listing(unit_id)
    if unit is None:
        abort(404, description="No listing with that id.")
    data = listing_json(unit, full=True)
    summary = neighbourhood_of(unit.property, geo_settings())
    data["neighbourhood"] = summary.facts if summary else None
    db.session.commit()  # a summary computed just now is kept
    return jsonify(data)
