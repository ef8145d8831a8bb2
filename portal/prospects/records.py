"""The one prospect record per email, shared by sign-in, tour booking and the demo."""

from datetime import datetime

import sqlalchemy as sa

from portal.auth.services import normalise_email
from portal.extensions import db
from portal.models import Prospect
from portal.models.base import utcnow
from portal.sql import insert_ignoring_conflict


def find_or_create_prospect(
    email: str, *, name: str = "", phone: str = "", now: datetime | None = None
) -> Prospect:
    """The prospect with this email, created if new (flushes).

    Safe when two requests (a sign-in and a booking, two tabs) create the same
    email at once: the insert does nothing for the loser, who then reads the
    winner's row. A name or phone given here fills blanks but never overwrites
    what the prospect already told us.
    """
    email = normalise_email(email)
    insert_ignoring_conflict(
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
    if name and not prospect.name:
        prospect.name = name
    if phone and not prospect.phone:
        prospect.phone = phone
    db.session.flush()
    return prospect
