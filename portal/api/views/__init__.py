"""The API blueprint; each module of this package registers its area's routes on ``bp``."""

from flask import Blueprint

from portal.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

from portal.api.views import (  # noqa: E402, F401
    document,
    geo,
    listings,
    staff_capture,
    staff_profile,
    staff_prospects,
    staff_tours,
    tours,
)
