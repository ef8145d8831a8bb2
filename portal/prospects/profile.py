"""A prospect's own contact details (the email is the sign-in and stays as it is)."""

import re

from portal.extensions import db
from portal.models import Prospect
from portal.prospects.field_errors import FieldErrors

PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,30}$")


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
