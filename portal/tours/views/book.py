"""The booking flow: listing → tour type → day → time → contact details → about you.

Every step is a plain GET link or form, so it works without JavaScript; with htmx the
picker swaps in place and the view returns only the partial.
"""

import secrets
from datetime import date

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address

from portal.extensions import db, limiter
from portal.htmx import render_page_or_partial
from portal.listings.services import get_listing
from portal.models.base import utcnow
from portal.prospects.current import current_prospect
from portal.tours.booking import Booker, book_tour, record_tour_answers
from portal.tours.booking_errors import (
    BookingError,
    BookingLimited,
    IdempotencyKeyReused,
    SlotTaken,
)
from portal.tours.booking_limits import BookingLimits
from portal.tours.forms import BookingAnswersForm, BookingForm, contact_from
from portal.tours.free_slots import plan_days
from portal.tours.manage_links import tour_or_404
from portal.tours.setup import tour_type_for, tour_types_for
from portal.tours.tour_settings import current_tour_settings
from portal.tours.transaction import commit_booking
from portal.tours.views import bp

FORM_ALREADY_USED = (
    "This form has already booked a tour. To book another one with these details, "
    "check them and press the button again."
)


def _listing_or_404(unit_id: int):
    unit = get_listing(unit_id)
    if unit is None:
        abort(404, description="That listing does not exist or is no longer available.")
    return unit


def wanted_day() -> date | None:
    """The picker's ``?day=`` (an ISO date), or None when absent or malformed."""
    try:
        return date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        return None


@bp.get("/book/<int:unit_id>")
def book(unit_id: int):
    """Pick a tour type, a day and a time."""
    unit = _listing_or_404(unit_id)
    types = tour_types_for(unit.property_id)
    tour_type = tour_type_for(unit, request.args.get("type"))
    if tour_type is None and len(types) == 1:
        tour_type = types[0]
    plan = plan_days(tour_type, wanted_day(), utcnow()) if tour_type else None
    return render_page_or_partial(
        "tours/book.html",
        "tours/_picker.html",
        unit=unit,
        property=unit.property,
        types=types,
        tour_type=tour_type,
        plan=plan,
    )


def _details_page(unit, tour_type, form, status=200, error=None, alternatives=(), headers=None):
    start = form.start.instant
    html = render_template(
        "tours/details.html",
        unit=unit,
        property=unit.property,
        tour_type=tour_type,
        form=form,
        start=start,
        error=error,
        alternatives=alternatives,
        signed_in=current_prospect(),
    )
    return html, status, headers or {}


@bp.route("/book/<int:unit_id>/details", methods=["GET", "POST"])
@limiter.limit("20/minute;200/day", methods=["POST"])
def details(unit_id: int):
    """Contact details for the chosen time; POST books the tour."""
    unit = _listing_or_404(unit_id)
    source = request.form if request.method == "POST" else request.args
    form = BookingForm(formdata=source)
    if request.method == "GET":
        form.idempotency_key.data = secrets.token_urlsafe(24)
    tour_type = tour_type_for(unit, form.type.data)
    if tour_type is None:
        abort(404, description="That kind of tour is not offered for this home.")
    if request.method == "GET":
        if form.start.instant is None:
            return redirect(url_for("tours.book", unit_id=unit.id, type=tour_type.kind))
        return _details_page(unit, tour_type, form)
    if not form.validate():
        return _details_page(unit, tour_type, form, 422)
    contact = contact_from(form)
    settings = current_tour_settings()
    booker = Booker(client=get_remote_address(), via="page", prospect=current_prospect())
    limits = BookingLimits.from_config(current_app.config)

    def action():
        return book_tour(
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

    try:
        tour, _created = commit_booking(action)
    except SlotTaken as exc:
        return _details_page(unit, tour_type, form, 409, exc.message, exc.alternatives)
    except BookingLimited as exc:
        headers = {"Retry-After": str(exc.retry_after)}
        return _details_page(unit, tour_type, form, 429, exc.message, headers=headers)
    except IdempotencyKeyReused:
        # Back to a form that already booked, with other details: a new booking needs a
        # new key, which the visitor sends by pressing the button again.
        form.idempotency_key.data = secrets.token_urlsafe(24)
        return _details_page(unit, tour_type, form, 422, FORM_ALREADY_USED)
    except BookingError as exc:
        return _details_page(unit, tour_type, form, 422, exc.message)
    return redirect(url_for("tours.about_you", token=tour.token), 303)


@bp.route("/m/<token>/about-you", methods=["GET", "POST"])
@limiter.limit("20/minute", methods=["POST"])
def about_you(token: str):
    """Optional step after booking: what matters to you in a new home."""
    tour = tour_or_404(token, "This tour link is not valid.")
    form = BookingAnswersForm()
    if request.method == "GET":
        form.priorities.data = list(tour.priorities)
        form.note.data = tour.priorities_note
    elif form.validate():
        record_tour_answers(tour, form.priorities.data or [], form.note.data or "")
        db.session.commit()
        return redirect(url_for("tours.manage", token=tour.token, booked=1), 303)
    status = 422 if form.errors else 200
    return render_template("tours/about_you.html", tour=tour, form=form), status
