from flask import abort, current_app, jsonify, request

from portal.api.forms import ApiListingFilterForm
from portal.api.serializers import commute_json, geocode_error, listing_json
from portal.api.views import bp
from portal.destinations.store import prospect_destinations
from portal.errors import api_error
from portal.listings.neighbourhoods import neighbourhood_facts
from portal.listings.services import find_listings, get_listing
from portal.prospects.current import current_prospect
from portal.settings import geo_settings


@bp.get("/listings")
def listings():
    prospect = current_prospect()
    places = prospect_destinations(prospect.id) if prospect is not None else []
    form = ApiListingFilterForm(request.args, saved_places=[p.label for p in places])
    if not form.validate():
        return api_error(400, "invalid_filter", "Some filters are not valid.", form.field_errors())
    per_page = form.page_size(current_app.config["LISTINGS_PER_PAGE"])
    results, outcome = find_listings(
        form.to_filters(),
        form.commute_to_text,
        form.page_number,
        per_page,
        geo_settings(),
        place=places[form.place_index] if form.place_index is not None else None,
        place_mode=not form.mode_chosen,
    )
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


@bp.get("/listings/<int:unit_id>")
def listing(unit_id: int):
    unit = get_listing(unit_id)
    if unit is None:
        abort(404, description="No listing with that id.")
    data = listing_json(unit, full=True)
    data["neighbourhood"] = neighbourhood_facts(unit.property, geo_settings())
    return jsonify(data)
