"""The staff start page: each community with its units by status."""

import sqlalchemy as sa
from flask import render_template

from portal.auth.session import roles_required
from portal.extensions import db
from portal.models import Property, Unit
from portal.staff.views import bp


@bp.get("/")
@roles_required("agent", "marketer")
def index():
    """Staff start page: each community with its units by status."""
    rows = db.session.execute(
        sa.select(Property, Unit.status, sa.func.count(Unit.id))
        .join(Unit, Unit.property_id == Property.id)
        .group_by(Property.id, Unit.status)
        .order_by(Property.name)
    ).all()
    summary: dict[Property, dict[str, int]] = {}
    for prop, status, count in rows:
        summary.setdefault(prop, {})[status] = count
    return render_template("staff/index.html", summary=summary)
