from flask import abort, current_app, render_template, request

from portal.htmx import render_page_or_partial
from portal.listings import bp
from portal.listings.forms import ListingFilterForm
from portal.listings.services import get_listing, search_listings


@bp.get("/")
def index():
    form = ListingFilterForm(request.args)
    if form.validate():
        results = search_listings(
            form.to_filters(), form.page_number, current_app.config["LISTINGS_PER_PAGE"]
        )
        status = 200
    else:
        results, status = None, 400
    query = {k: v for k, v in request.args.items() if k != "page" and v}
    html = render_page_or_partial(
        "listings/index.html", "listings/_results.html", form=form, results=results, query=query
    )
    return html, status


@bp.get("/<int:unit_id>")
def detail(unit_id: int):
    unit = get_listing(unit_id)
    if unit is None:
        abort(404, description="That listing does not exist or is no longer available.")
    return render_template("listings/detail.html", unit=unit, property=unit.property)
