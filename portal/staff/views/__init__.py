"""The staff blueprint, one module per page (home is the agent's day, brief, members, ...)."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from portal.staff.views import (  # noqa: E402, F401
    brief,
    capture,
    home,
    members,
    profile,
    prospects,
    tour_setup,
    tours,
    working_hours,
)
