"""JSON API under /api/v1: the same services as the pages, no CSRF (no cookies needed)."""

from flask import Blueprint

from portal.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

# One module per area; each registers its routes on `bp`.
from portal.api import document, geo, listings, tours  # noqa: E402, F401
