"""The home page and the health check."""

import logging

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify, render_template

from portal.extensions import db
from portal.listings.forms import ListingFilterForm
from portal.listings.services import ListingFilters, count_communities, search_listings

log = logging.getLogger(__name__)
bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """Counts of communities and homes, three featured listings and the search form."""
    communities, units = count_communities()
    featured = search_listings(ListingFilters(), page=1, per_page=3).items
    return render_template(
        "home/index.html",
        communities=communities,
        units=units,
        featured=featured,
        form=ListingFilterForm(formdata=None),
    )


@bp.get("/healthz")
def healthz():
    """Liveness and database reachability, for load balancers and `make run` checks."""
    try:
        db.session.execute(sa.text("SELECT 1"))
        database = "ok"
    except sa.exc.SQLAlchemyError:
        log.exception("health check: database unreachable")
        db.session.rollback()
        database = "unreachable"
    healthy = database == "ok"
    body = {
        "status": "ok" if healthy else "degraded",
        "database": database,
        "version": current_app.config["VERSION"],
    }
    return jsonify(body), 200 if healthy else 503
