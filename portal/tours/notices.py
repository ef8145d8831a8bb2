"""Emails about a tour, each with the current .ics attached, queued in the outbox.

Queued in the caller's transaction: nothing is sent unless the change commits. The
dedupe key names the tour, the kind of notice and the calendar sequence, so a
retried request never mails twice and every real change mails once.
"""

from datetime import datetime

from flask import current_app

from portal.followups.tour_focus import what_to_look_at
from portal.links import external_url
from portal.mail.outbox import Attachment, queue_email
from portal.mail.render import render_email
from portal.models import Tour
from portal.models.base import utcnow
from portal.prospects.contact_links import email_footer
from portal.settings import geo_settings
from portal.tours.calendar import mail_method, tour_calendar
from portal.tours.manage_links import address_code
from portal.tours.tour_settings import TourSettings, current_tour_settings

SUBJECTS = {
    "confirmed": "Your tour of {place} is booked",
    "requested": "We received your tour request for {place}",
    "rescheduled": "Your tour of {place} has moved",
    "cancelled": "Your tour of {place} is cancelled",
    "expired": "Your tour request for {place} has expired",
    "reminder": "Reminder: your tour of {place}",
}


def manage_url(tour: Tour) -> str:
    """The manage link, on PORTAL_BASE_URL whether a request or a reminder job builds it."""
    return external_url("tours.manage", token=tour.token)


def confirm_url(tour: Tour) -> str:
    """The emailed link that confirms the tour's address (and a request waiting for it)."""
    return f"{manage_url(tour)}/confirm/{address_code(tour, current_app.config['SECRET_KEY'])}"


def needs_confirming(tour: Tour) -> bool:
    """A request waiting for the visitor, or an active tour whose address is unconfirmed."""
    return tour.awaits_visitor or (tour.is_active and tour.email_confirmed_at is None)


def access_code_released(tour: Tour, now: datetime, settings: TourSettings) -> bool:
    """A self-guided access code is shown only shortly before the tour, never earlier."""
    return (
        tour.access_code is not None
        and tour.is_active
        and tour.status != "requested"
        and tour.starts_at - settings.access_code_lead <= now <= tour.ends_at
    )


def queue(
    tour: Tour,
    kind: str,
    *,
    now: datetime | None = None,
    settings: TourSettings | None = None,
    key: str = "",
) -> None:
    now = now or utcnow()
    settings = settings or current_tour_settings()
    link = manage_url(tour)
    ics = tour_calendar(tour, manage_url=link, organizer=current_app.config["MAIL_FROM"], now=now)
    method = mail_method(tour)
    rendered = render_email(
        "tour_notice",
        SUBJECTS[kind].format(place=tour.property.name),
        footer=email_footer(tour.prospect, secret_key=current_app.config["SECRET_KEY"]),
        tour=tour,
        kind=kind,
        manage_url=link,
        # While something waits for the mailbox's owner; only ever in mail, never on a page.
        confirm_url=confirm_url(tour) if needs_confirming(tour) else None,
        show_access_code=access_code_released(tour, now, settings),
        look_at=what_to_look_at(tour, geo_settings()) if kind == "confirmed" else [],
    )
    queue_email(
        to=tour.email,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        kind=f"tour_{kind}",
        attachments=[Attachment("tour.ics", f"text/calendar; charset=utf-8; method={method}", ics)],
        dedupe_key=f"tour:{tour.uid}:{kind}:{tour.sequence}" + (f":{key}" if key else ""),
    )
