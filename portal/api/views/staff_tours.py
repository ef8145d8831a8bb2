"""GET /api/v1/staff/tours and /staff/tours/{id}/brief: the agent's day and a brief, as data.

The same services as the pages (``tours.agent_day``, ``tours.brief``) with the token's
staff user, filtered by ``staff.visibility``: another property's tour is a 404.
"""

import sqlalchemy as sa
from flask import abort, jsonify, request

from portal.api.serializers import brief_json, day_tour_json
from portal.api.staff_auth import current_staff, staff_token_required
from portal.api.views import bp
from portal.errors import api_error
from portal.extensions import db
from portal.input_limits import parse_iso_day
from portal.models import Tour
from portal.models.base import utcnow
from portal.settings import geo_settings
from portal.staff.visibility import visible_tours
from portal.tours.agent_day import tours_on, tours_today
from portal.tours.brief import BRIEF_LOADING, tour_brief


@bp.get("/staff/tours")
@staff_token_required
def staff_tours():
    raw = request.args.get("date")
    now = utcnow()
    if raw is None or raw == "":
        day, listed = None, tours_today(current_staff(), now)
    else:
        day = parse_iso_day(raw)
        if day is None:
            message = "Give the day as YYYY-MM-DD, e.g. 2026-11-24."
            return api_error(422, "invalid_date", message, {"date": [message]})
        listed = tours_on(current_staff(), day, now)
    return jsonify(
        {
            "date": day.isoformat() if day else None,
            "tours": [day_tour_json(item) for item in listed],
        }
    )


@bp.get("/staff/tours/<int:tour_id>/brief")
@staff_token_required
def staff_tour_brief(tour_id: int):
    tour = db.session.scalar(
        visible_tours(
            current_staff(), sa.select(Tour).where(Tour.id == tour_id).options(*BRIEF_LOADING)
        )
    )
    if tour is None:
        abort(404, description="No such tour among yours.")
    body = brief_json(tour_brief(tour, geo_settings()))
    body["version"] = tour.version  # what POST .../capture sends back (a conflict otherwise)
    return jsonify(body)
