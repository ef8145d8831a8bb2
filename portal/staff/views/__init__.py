"""The staff blueprint, one module per page: home, tours, working_hours, tour_setup, profile."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from portal.staff.views import (  # noqa: E402, F401
    followups,
    home,
    profile,
    tour_setup,
    tours,
    working_hours,
)
