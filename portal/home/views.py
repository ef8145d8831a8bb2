"""The home page and the health check."""

import logging

from flask import Blueprint, current_app, jsonify, render_template

from portal.health import health_report
from portal.listings.cards import card_search
from portal.listings.catalogue_version import catalogue_cache, catalogue_version
from portal.listings.forms import ListingFilterForm
from portal.listings.services import ListingFilters, count_communities

log = logging.getLogger(__name__)
bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """Counts of communities and homes, three featured listings and the search form."""
    version = catalogue_version()
    communities, units = catalogue_cache().get(version, "counts", count_communities)
    featured = card_search(version)(ListingFilters(), page=1, per_page=3).items
    return render_template(
        "home/index.html",
        communities=communities,
        units=units,
        featured=featured,
        form=ListingFilterForm(formdata=None),
    )


@bp.get("/healthz")
def healthz():
    """Liveness, database and Redis state, for load balancers and `make run` checks."""
    body, healthy = health_report(current_app)
    return jsonify(body), 200 if healthy else 503
