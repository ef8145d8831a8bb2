"""Tour slots and bookings over JSON: the same services and rules as the booking pages."""

from datetime import date, timedelta

from flask import abort, current_app, jsonify, request
from flask_limiter.util import get_remote_address
from werkzeug.datastructures import MultiDict

from portal.api.request_body import form_fields, json_object
from portal.api.spec.tours import SCHEMAS
from portal.api.views import bp
from portal.errors import api_error
from portal.extensions import db, limiter
from portal.forms import field_errors
from portal.input_limits import db_id, parse_iso_day
from portal.links import external_url
from portal.listings.services import get_listing
from portal.models import TOUR_KINDS, Tour
from portal.models.base import utcnow
from portal.prospects.current import current_prospect
from portal.tours.booking import (
    Booker,
    book_tour,
    cancel_tour,
    record_tour_answers,
    reschedule_tour,
)
from portal.tours.booking_errors import (
    BookingError,
    BookingLimited,
    IdempotencyKeyReused,
    SlotTaken,
)
from portal.tours.booking_limits import BookingLimits
from portal.tours.forms import (
    BookingAnswersForm,
    BookingForm,
    RescheduleForm,
    contact_from,
)
from portal.tours.free_slots import booking_window, slots_by_day
from portal.tours.manage_links import tour_by_token, tour_or_404
from portal.tours.notices import access_code_released, manage_url
from portal.tours.setup import tour_type_for
from portal.tours.slots import Slot
from portal.tours.tour_settings import current_tour_settings
from portal.tours.transaction import commit_booking

MAX_RANGE_DAYS = 31
POST_LIMIT = "20/minute;200/day"
NO_TOUR = "No tour with that token."


def slot_json(slot: Slot, tz_name: str, needs_agent: bool) -> dict:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(tz_name)
    body = {
        "start": slot.start.astimezone(tz).isoformat(),
        "end": slot.end.astimezone(tz).isoformat(),
        "start_utc": slot.start.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if not needs_agent:
        body["remaining"] = slot.remaining
    return body


def tour_json(tour: Tour) -> dict:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(tour.property.time_zone)
    settings = current_tour_settings()
    released = access_code_released(tour, utcnow(), settings)
    return {
        "status": tour.status,
        "type": tour.tour_type.kind,
        "type_name": tour.tour_type.name,
        "start": tour.starts_at.astimezone(tz).isoformat(),
        "end": tour.ends_at.astimezone(tz).isoformat(),
        "time_zone": tour.property.time_zone,
        "sequence": tour.sequence,
        "listing_id": tour.unit_id,
        "property": {
            "id": tour.property.id,
            "name": tour.property.name,
            "address": tour.property.address,
        },
        "agent_name": tour.agent.name if tour.agent and tour.tour_type.needs_agent else None,
        "video_room_url": tour.video_room_url if tour.is_active else None,
        "access_code": tour.access_code if released else None,
        "name": tour.name,
        "email": tour.email,
        "phone": tour.phone,
        "contact_channel": tour.contact_channel,
        "priorities": list(tour.priorities),
        "priorities_note": tour.priorities_note,
        "manage_url": manage_url(tour),
        "calendar_url": external_url("tours.calendar_file", token=tour.token),
    }


def _answers_form(body: dict) -> tuple[BookingAnswersForm, dict[str, list[str]]]:
    """The answers form over the body's `priorities` and `priorities_note`, and type errors."""
    fields, errors = form_fields(body, SCHEMAS["TourAnswers"])
    renamed = MultiDict(
        ("note" if key == "priorities_note" else key, value)
        for key, value in fields.items(multi=True)
    )
    return BookingAnswersForm(formdata=renamed, meta={"csrf": False}), errors


def _taken(exc: SlotTaken, tz_name: str, needs_agent: bool):
    body, status = api_error(409, "slot_taken", exc.message)
    payload = body.get_json()
    payload["error"]["alternatives"] = [
        slot_json(s, tz_name, needs_agent) for s in exc.alternatives
    ]
    return jsonify(payload), status


def _booking_error(exc: BookingError):
    fields = {exc.field: [exc.message]} if exc.field else None
    return api_error(422, "invalid_booking", exc.message, fields)


def _date_args() -> tuple[dict[str, date], dict[str, list[str]]]:
    dates, errors = {}, {}
    for name in ("from", "to"):
        raw = request.args.get(name)
        if raw is None:
            continue
        day = parse_iso_day(raw)
        if day is None:
            errors[name] = ["Not a date like 2026-11-24."]
        else:
            dates[name] = day
    return dates, errors


@bp.get("/listings/<int:unit_id>/tour-slots")
def tour_slots(unit_id: int):
    unit = get_listing(unit_id)
    if unit is None:
        abort(404, description="No listing with that id.")
    kind = request.args.get("type", "")
    if kind not in TOUR_KINDS:
        return api_error(400, "invalid_query", "Unknown tour type.", {"type": ["Unknown type."]})
    tour_type = tour_type_for(unit, kind)
    if tour_type is None:
        return api_error(
            404, "not_offered", "This kind of tour is not offered here.", {"type": ["Not offered."]}
        )
    dates, errors = _date_args()
    if errors:
        return api_error(400, "invalid_query", "Some query values are not valid.", errors)
    now = utcnow()
    first, last = booking_window(tour_type, now)
    start = max(dates.get("from", first), first)
    end = min(dates.get("to", last), last)
    if start <= end:  # so that a far `from` (9999-12-31) never reaches the addition
        end = min(end, start + timedelta(days=MAX_RANGE_DAYS))
    by_day = slots_by_day(tour_type, start, end, now) if start <= end else {}
    tz_name = unit.property.time_zone
    return jsonify(
        {
            "listing_id": unit.id,
            "type": kind,
            "time_zone": tz_name,
            "slots": [
                slot_json(s, tz_name, tour_type.needs_agent) for day in by_day.values() for s in day
            ],
        }
    )


@bp.post("/tours")
@limiter.limit(POST_LIMIT)
def create_tour():
    body = json_object()
    if "idempotency_key" not in body and request.headers.get("Idempotency-Key"):
        body["idempotency_key"] = request.headers["Idempotency-Key"]
    fields, type_errors = form_fields(body, SCHEMAS["TourBookingRequest"])
    form = BookingForm(formdata=fields, meta={"csrf": False})
    listing_id = db_id(body.get("listing_id"))
    if type_errors or listing_id is None:
        form.validate()
        if listing_id is None:
            type_errors["listing_id"] = ["Give the listing's id."]
        return api_error(
            422, "invalid_booking", "Some fields are not valid.", field_errors(form) | type_errors
        )
    unit = get_listing(listing_id)
    if unit is None:
        return api_error(422, "invalid_booking", "No such listing.", {"listing_id": ["Unknown."]})
    if not form.validate():
        return api_error(422, "invalid_booking", "Some fields are not valid.", field_errors(form))
    tour_type = tour_type_for(unit, form.type.data)
    if tour_type is None:
        return api_error(
            422,
            "invalid_booking",
            "This kind of tour is not offered here.",
            {"type": ["Not offered."]},
        )
    priorities, _ = _answers_form(body)  # its type errors are in type_errors above
    if not priorities.validate():
        return api_error(
            422, "invalid_booking", "Some fields are not valid.", field_errors(priorities)
        )
    contact = contact_from(form, priorities)
    settings = current_tour_settings()
    booker = Booker(client=get_remote_address(), via="api", prospect=current_prospect())
    limits = BookingLimits.from_config(current_app.config)
    try:
        tour, created = commit_booking(
            lambda: book_tour(
                tour_type,
                form.start.instant,
                contact,
                now=utcnow(),
                settings=settings,
                unit=unit,
                idempotency_key=form.idempotency_key.data or None,
                booker=booker,
                limits=limits,
            )
        )
    except SlotTaken as exc:
        return _taken(exc, unit.property.time_zone, tour_type.needs_agent)
    except BookingLimited as exc:
        body, status = api_error(429, "too_many_bookings", exc.message)
        return body, status, {"Retry-After": str(exc.retry_after)}
    except IdempotencyKeyReused as exc:
        return api_error(422, "idempotency_key_reused", exc.message, {exc.field: [exc.message]})
    except BookingError as exc:
        return _booking_error(exc)
    return jsonify({"token": tour.token, "tour": tour_json(tour)}), 201 if created else 200


@bp.get("/tours/<token>")
def get_tour(token: str):
    return jsonify(tour_json(tour_or_404(token, NO_TOUR)))


@bp.post("/tours/<token>")
@limiter.limit(POST_LIMIT)
def update_tour(token: str):
    """Update the "what matters to you" answers of a tour."""
    tour = tour_or_404(token, NO_TOUR)
    form, type_errors = _answers_form(json_object())
    if not form.validate() or type_errors:
        errors = field_errors(form) | type_errors
        return api_error(422, "invalid_tour", "Some fields are not valid.", errors)
    record_tour_answers(tour, form.priorities.data or [], form.note.data or "")
    db.session.commit()
    return jsonify(tour_json(tour))


@bp.post("/tours/<token>/reschedule")
@limiter.limit(POST_LIMIT)
def reschedule_tour_api(token: str):
    tour = tour_or_404(token, NO_TOUR)
    fields, type_errors = form_fields(json_object(), SCHEMAS["TourReschedule"])
    form = RescheduleForm(formdata=fields, meta={"csrf": False})
    if not form.validate() or type_errors:
        errors = field_errors(form) | type_errors
        return api_error(422, "invalid_booking", "Some fields are not valid.", errors)
    settings = current_tour_settings()
    try:
        commit_booking(
            lambda: reschedule_tour(
                tour_by_token(token), form.start.instant, now=utcnow(), settings=settings
            )
        )
    except SlotTaken as exc:
        return _taken(exc, tour.property.time_zone, tour.tour_type.needs_agent)
    except BookingError as exc:
        return _booking_error(exc)
    return jsonify(tour_json(tour_by_token(token)))


@bp.post("/tours/<token>/cancel")
@limiter.limit(POST_LIMIT)
def cancel_tour_api(token: str):
    tour_or_404(token, NO_TOUR)
    try:
        commit_booking(lambda: cancel_tour(tour_by_token(token), now=utcnow()))
    except BookingError as exc:
        return api_error(409, "not_changeable", exc.message)
    return jsonify(tour_json(tour_by_token(token)))
