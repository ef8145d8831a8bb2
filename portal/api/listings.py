from flask import abort, current_app, jsonify, request

from portal.api import bp
from portal.api.serializers import listing_json
from portal.errors import api_error
from portal.listings.forms import ListingFilterForm
from portal.listings.services import get_listing, search_listings


@bp.get("/listings")
def listings():
    form = ListingFilterForm(request.args)
    if not form.validate():
        return api_error(400, "invalid_filter", "Some filters are not valid.", form.field_errors())
    per_page = current_app.config["LISTINGS_PER_PAGE"]
    results = search_listings(form.to_filters(), form.page_number, per_page)
    return jsonify(
        {
            "items": [listing_json(u) for u in results.items],
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
    return jsonify(listing_json(unit, full=True))
