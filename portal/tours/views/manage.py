"""Manage links: GET only shows (mail scanners follow links), POST acts, rate-limited."""

from flask import Response, abort, current_app, redirect, render_template, request, url_for

from portal.extensions import limiter
from portal.forms import EmptyForm
from portal.models.base import utcnow
from portal.tours.assignment import confirm_from_link
from portal.tours.booking import cancel_tour, reschedule_tour
from portal.tours.booking_errors import BookingError, SlotTaken
from portal.tours.calendar import tour_calendar
from portal.tours.forms import RescheduleForm
from portal.tours.free_slots import plan_days
from portal.tours.manage_links import address_code_matches, tour_by_token, tour_or_404
from portal.tours.notices import access_code_released, manage_url
from portal.tours.tour_settings import current_tour_settings
from portal.tours.transaction import commit_booking
from portal.tours.views import bp
from portal.tours.views.book import wanted_day

MANAGE_LIMIT = "10/minute;100/day"
NOT_FROM_EMAIL = "Please use the confirmation link in the email we sent to {email}."


def _manage_page(tour, *, status=200, error=None, alternatives=(), plan=None, confirm_code=None):
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
        confirm_code=confirm_code,
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
    """Confirming needs the emailed link: the manage link alone does not prove the address."""
    tour = tour_or_404(token)
    return _manage_page(tour, status=409, error=NOT_FROM_EMAIL.format(email=tour.email))


def _tour_for_code(token: str, code: str):
    tour = tour_or_404(token)
    if not address_code_matches(tour, code, current_app.config["SECRET_KEY"]):
        abort(404, description="This confirmation link is not valid. Check the link in your email.")
    return tour


@bp.get("/m/<token>/confirm/<code>")
def confirm_link(token: str, code: str):
    """The emailed confirmation link: shows the tour with its confirm button; changes nothing."""
    return _manage_page(_tour_for_code(token, code), confirm_code=code)


@bp.post("/m/<token>/confirm/<code>")
@limiter.limit(MANAGE_LIMIT)
def confirm_from_email(token: str, code: str):
    """The visitor confirms from the emailed link: a request waiting for them, or the address."""
    tour = _tour_for_code(token, code)
    if not EmptyForm().validate():
        return _manage_page(tour, status=422, error="Please try again.", confirm_code=code)
    try:
        commit_booking(lambda: confirm_from_link(tour_by_token(token), now=utcnow()))
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
    """'Add to calendar': the tour as METHOD:PUBLISH (the same UID and SEQUENCE as the
    emailed invitation, so the calendar keeps one event)."""
    tour = tour_or_404(token)
    ics = tour_calendar(
        tour,
        manage_url=manage_url(tour),
        organizer=current_app.config["MAIL_FROM"],
        now=utcnow(),
        download=True,
    )
    return Response(
        ics,
        content_type="text/calendar; charset=utf-8; method=PUBLISH",
        headers={"Content-Disposition": 'attachment; filename="tour.ics"'},
    )
