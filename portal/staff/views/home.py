"""The staff start page: each community with its units by status."""

from flask import render_template

from portal.auth.session import roles_required
from portal.listings.services import units_by_status
from portal.staff.views import bp


@bp.get("/")
@roles_required("agent", "marketer")
def index():
    """Staff start page: each community with its units by status."""
    return render_template("staff/index.html", summary=units_by_status())
