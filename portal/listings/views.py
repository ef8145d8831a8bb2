from flask import abort, current_app, render_template, request

from portal.htmx import render_page_or_partial
from portal.listings import bp
from portal.listings.forms import ListingFilterForm
from portal.listings.services import all_listings, get_listing, search_listings


@bp.get("/")
def index():
    form = ListingFilterForm(request.args)
    fits, fit_context = {}, None
    per_page = current_app.config["LISTINGS_PER_PAGE"]
    if not form.validate():
        results, status = None, 400
    elif form.sort.data == "fit":
        # Imported here: the prospects package itself builds on the listing services.
        from portal.prospects.fit_context import current_fit_context, rank_listing_page

        fit_context = current_fit_context()
        results, fits = rank_listing_page(
            all_listings(form.to_filters()), fit_context, form.page_number, per_page
        )
        status = 200
    else:
        results = search_listings(form.to_filters(), form.page_number, per_page)
        status = 200
    query = {k: v for k, v in request.args.items() if k != "page" and v}
    html = render_page_or_partial(
        "listings/index.html",
        "listings/_results.html",
        form=form,
        results=results,
        query=query,
        fits=fits,
        fit_context=fit_context,
    )
    return html, status


@bp.get("/<int:unit_id>")
def detail(unit_id: int):
    unit = get_listing(unit_id)
    if unit is None:
        abort(404, description="That listing does not exist or is no longer available.")
    from portal.prospects.listing_panel import listing_panel_context  # see index()

    return render_template(
        "listings/detail.html", unit=unit, property=unit.property, **listing_panel_context(unit)
    )
