"""POST /api/v1/staff/tours/{id}/capture: the completion form as JSON.

The very same ``portal.tours.capture.record_capture`` as the page: 422 names each bad
field, 409 carries the tour's current version and status, a tour outside the token's
properties is a 404.
"""

from flask import abort, jsonify

from portal.api.request_body import json_object
from portal.api.staff_auth import current_staff, staff_token_required
from portal.api.views import bp
from portal.errors import api_error
from portal.extensions import db
from portal.input_limits import json_integer
from portal.models import Tour, TourCapture
from portal.models.base import utcnow
from portal.staff.visibility import visible_tour
from portal.tours.capture import CaptureConflict, CaptureInvalid, record_capture


def staff_tour_or_404(tour_id: int) -> Tour:
    tour = visible_tour(current_staff(), tour_id)
    if tour is None:
        abort(404, description="No such tour among yours.")
    return tour


def capture_json(capture: TourCapture, tour: Tour) -> dict:
    return {
        "tour_id": tour.id,
        "tour_status": tour.status,
        "version": tour.version,
        "prospect_id": tour.prospect_id,
        "prospect_stage": tour.prospect.stage,
        "units_shown": list(capture.units_shown),
        "interest_level": capture.interest_level,
        "liked": capture.liked,
        "objections": list(capture.objections),
        "objection_note": capture.objection_note,
        "next_step": capture.next_step,
        "decide_by": capture.decide_by.isoformat() if capture.decide_by else None,
        "lost_reason": capture.lost_reason,
        "notes": capture.notes,
        "recorded_by": capture.staff_user_id,
        "updated_at": capture.updated_at.isoformat(),
    }


def _conflict(exc: CaptureConflict):
    body, status = api_error(409, "conflict", exc.message)
    payload = body.get_json()
    payload["error"] |= {"current_version": exc.current_version, "status": exc.status}
    return jsonify(payload), status


@bp.post("/staff/tours/<int:tour_id>/capture")
@staff_token_required
def capture_tour(tour_id: int):
    """Record a tour as completed with what was learned on it."""
    tour = staff_tour_or_404(tour_id)
    body = json_object()
    version = json_integer(body.pop("version", None))
    if version is None:
        return api_error(
            422,
            "invalid_capture",
            "Send the tour version you saw.",
            {"version": ["Send the tour's version (a whole number)."]},
        )
    staff = current_staff()
    try:
        capture = record_capture(tour, staff, body, expected_version=version, now=utcnow())
    except CaptureInvalid as exc:
        db.session.rollback()
        fields = {name: [message] for name, message in exc.fields.items()}
        return api_error(422, "invalid_capture", "Some fields are not valid.", fields)
    except CaptureConflict as exc:
        db.session.rollback()
        return _conflict(exc)
    db.session.commit()
    return jsonify(capture_json(capture, tour))
