from dataclasses import replace

from flask import Blueprint, abort, current_app, jsonify, render_template, request

from portal.geo.map_layers import map_layers
from portal.geo.regions import region_covering
from portal.htmx import render_page_or_partial
from portal.listings.cards import card_search, page_of_cards
from portal.listings.catalogue_version import catalogue_version
from portal.listings.detail_view import listing_view
from portal.listings.filter_markup import filter_form_markup
from portal.listings.forms import ListingFilterForm
from portal.listings.services import (
    all_listings,
    commutes_from_homes,
    find_listings,
    get_listing,
)
from portal.prospects.current import (
    current_destinations,
    current_fit_context,
    listing_panel_context_of,
)
from portal.prospects.fit.context import rank_listing_page
from portal.prospects.fit.facts import commute_facts
from portal.settings import geo_settings

bp = Blueprint("listings", __name__, url_prefix="/listings")


@bp.get("/")
def index():
    version = catalogue_version()
    destinations = current_destinations()
    form = ListingFilterForm(request.args, saved_places=[d.label for d in destinations])
    fits, fit_context = {}, None
    place = None
    per_page = current_app.config["LISTINGS_PER_PAGE"]
    results, status = None, 400
    if form.validate():
        if form.sort.data == "fit":
            fit_context = current_fit_context()
            ranked, fits = rank_listing_page(
                all_listings(form.to_filters()), fit_context, form.page_number, per_page
            )
            results = page_of_cards(ranked, version)
            status = 200
        else:
            if form.place_index is not None:
                place = destinations[form.place_index]
            results, outcome = find_listings(
                form.to_filters(),
                form.commute_to_text,
                form.page_number,
                per_page,
                geo_settings(),
                place=place,
                place_mode=not form.mode_chosen,
                search=card_search(version),
            )
            status = 200
            if results is None:
                form.commute_to.errors = [outcome.message]
                status = 422
    query = {k: v for k, v in request.args.items() if k != "page" and v}
    html = render_page_or_partial(
        "listings/index.html",
        "listings/_results.html",
        form=form,
        filter_form=lambda: filter_form_markup(form, destinations, version),
        results=results,
        query=query,
        fits=fits,
        fit_context=fit_context,
        commutes=commutes_from_homes(
            {card.id: card.home for card in results.items}, destinations, geo_settings()
        )
        if results
        else {},
        destinations=destinations,
        commute_label=form.commute_to.data or (place.label if place else None),
    )
    return html, status


@bp.get("/<int:unit_id>")
def detail(unit_id: int):
    view = listing_view(unit_id, catalogue_version())
    if view is None:
        abort(404, description="That listing does not exist or is no longer available.")
    settings = geo_settings()
    destinations = current_destinations()
    facts = replace(view.facts, **commute_facts(view.home, destinations, settings))
    return render_template(
        "listings/detail.html",
        view=view,
        unit=view,
        commutes=commutes_from_homes({view.id: view.home}, destinations, settings).get(view.id, []),
        **listing_panel_context_of(view.id, lambda context: context.fit_of_facts(facts)),
    )


@bp.get("/<int:unit_id>/map.json")
def map_data(unit_id: int):
    """Streets and places around the building as GeoJSON, for the offline map."""
    unit = get_listing(unit_id)
    if unit is None:
        abort(404, description="That listing does not exist or is no longer available.")
    prop = unit.property
    region = region_covering(prop.lat, prop.lon)
    if region is None:
        abort(404, description="We have no map data for this area.")
    response = jsonify(map_layers(region, prop.lat, prop.lon))
    response.cache_control.max_age = 3600
    return response
