"""The one prospect record per email (shared by sign-in, tour booking and the demo), and
the contact details a prospect edits on it (the email is the sign-in and stays as it is).
"""

import re
from datetime import datetime

import sqlalchemy as sa

from portal.auth.services import normalise_email
from portal.extensions import db
from portal.forms import FieldErrors
from portal.models import Prospect
from portal.models.base import utcnow
from portal.sql import insert_ignoring_conflict

PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,30}$")


def find_or_create_prospect(
    email: str,
    *,
    name: str = "",
    phone: str = "",
    now: datetime | None = None,
    confirmed: bool = True,
) -> Prospect:
    """The prospect with this email, created if new (flushes).

    Safe when two requests (a sign-in and a booking, two tabs) create the same
    email at once: the insert does nothing for the loser, who then reads the
    winner's row. A name or phone given here fills blanks but never overwrites
    what the prospect already told us.

    :param confirmed: False when whoever gives the email has not shown it is theirs
        (a booking by someone not signed in as its prospect): a new record still
        starts with their name and phone, but an existing person's blanks are left
        alone until the address is confirmed (``tour_events.address_confirmed``).
    """
    email = normalise_email(email)
    created = insert_ignoring_conflict(
        Prospect,
        {
            "email": email,
            "name": name,
            "phone": phone,
            "stage": "prospect",
            "stage_changed_at": now or utcnow(),
        },
        ["email"],
    )
    prospect = db.session.scalar(sa.select(Prospect).where(Prospect.email == email))
    speaks_for_them = confirmed or created
    if name and not prospect.name and speaks_for_them:
        prospect.name = name
    if phone and not prospect.phone and speaks_for_them:
        prospect.phone = phone
    db.session.flush()
    return prospect


def update_profile(prospect: Prospect, *, name: str, phone: str) -> Prospect:
    """Save name and phone (flushes); a phone must look like one, or be empty."""
    name, phone = name.strip(), phone.strip()
    errors = {}
    if len(name) > 120:
        errors["name"] = "must be at most 120 characters"
    if phone and not PHONE.match(phone):
        errors["phone"] = "must be a phone number, e.g. +358 40 123 4567"
    if errors:
        raise FieldErrors(errors)
    prospect.name, prospect.phone = name, phone
    db.session.flush()
    return prospect
