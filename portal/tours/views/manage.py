"""Manage links: GET only shows (mail scanners follow links), POST acts, rate-limited."""

from flask import Response, current_app, redirect, render_template, request, url_for

from portal.extensions import limiter
from portal.forms import EmptyForm
from portal.models.base import utcnow
from portal.tours.assignment import confirm_request
from portal.tours.booking import BookingError, SlotTaken, cancel_tour, reschedule_tour
from portal.tours.calendar import tour_calendar
from portal.tours.forms import RescheduleForm
from portal.tours.free_slots import plan_days
from portal.tours.manage_links import tour_by_token, tour_or_404
from portal.tours.notices import access_code_released, manage_url
from portal.tours.tour_settings import current_tour_settings
from portal.tours.transaction import commit_booking
from portal.tours.views import bp
from portal.tours.views.book import wanted_day

MANAGE_LIMIT = "10/minute;100/day"


def _manage_page(tour, *, status=200, error=None, alternatives=(), plan=None):
    now = utcnow()
    settings = current_tour_settings()
    html = render_template(
        "tours/manage.html",
        tour=tour,
        property=tour.property,
        now=now,
        show_access_code=access_code_released(tour, now, settings),
        changeable=tour.is_active and tour.starts_at > now,
        booked=request.args.get("booked") == "1",
        cancel_form=EmptyForm(),
        reschedule_form=RescheduleForm(),
        error=error,
        alternatives=alternatives,
        plan=plan,
    )
    return html, status


@bp.get("/m/<token>")
def manage(token: str):
    """The tour with its reschedule and cancel buttons; changes nothing."""
    return _manage_page(tour_or_404(token))


@bp.get("/m/<token>/reschedule")
def reschedule_picker(token: str):
    """Free times for moving the tour (its own time counts as free)."""
    tour = tour_or_404(token)
    plan = plan_days(tour.tour_type, wanted_day(), utcnow(), ignore_tour=tour)
    return _manage_page(tour, plan=plan)


@bp.post("/m/<token>/reschedule")
@limiter.limit(MANAGE_LIMIT)
def reschedule(token: str):
    """Move the tour to one of the offered times."""
    tour = tour_or_404(token)
    form = RescheduleForm()
    if not form.validate():
        return _manage_page(tour, status=422, error="Pick one of the offered times.")
    settings = current_tour_settings()

    def action():
        fresh = tour_by_token(token)
        return reschedule_tour(fresh, form.start.instant, now=utcnow(), settings=settings)

    try:
        commit_booking(action)
    except SlotTaken as exc:
        return _manage_page(tour, status=409, error=exc.message, alternatives=exc.alternatives)
    except BookingError as exc:
        return _manage_page(tour, status=422, error=exc.message)
    return redirect(url_for("tours.manage", token=token), 303)


@bp.post("/m/<token>/confirm")
@limiter.limit(MANAGE_LIMIT)
def confirm(token: str):
    """The visitor confirms a tour that waits for their confirmation (verifies the email)."""
    tour = tour_or_404(token)
    if not EmptyForm().validate():
        return _manage_page(tour, status=422, error="Please try again.")
    try:
        commit_booking(
            lambda: confirm_request(tour_by_token(token), now=utcnow(), actor="prospect")
        )
    except BookingError as exc:
        return _manage_page(tour, status=409, error=exc.message)
    return redirect(url_for("tours.manage", token=token), 303)


@bp.post("/m/<token>/cancel")
@limiter.limit(MANAGE_LIMIT)
def cancel(token: str):
    """Cancel the tour; its time is freed and the visitor gets a cancelled invitation."""
    tour = tour_or_404(token)
    if not EmptyForm().validate():
        return _manage_page(tour, status=422, error="Please try again.")
    try:
        commit_booking(lambda: cancel_tour(tour_by_token(token), now=utcnow()))
    except BookingError as exc:
        return _manage_page(tour, status=409, error=exc.message)
    return redirect(url_for("tours.manage", token=token), 303)


@bp.get("/m/<token>/tour.ics")
def calendar_file(token: str):
    """'Add to calendar': the same invitation as in the email."""
    tour = tour_or_404(token)
    ics = tour_calendar(
        tour, manage_url=manage_url(tour), organizer=current_app.config["MAIL_FROM"], now=utcnow()
    )
    return Response(
        ics,
        mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="tour.ics"'},
    )
