"""Whose address is a booking's email? The tour is booked either way; the record waits.

Anyone can type anyone's email into a booking form. The tour is still booked (and
mailed to that address, whose owner can cancel it from the link), but what the
booking says about the person (the channel to reach them, their "what matters"
answers, a blank name or phone) reaches their prospect record only once the address
is confirmed: the booker was signed in as that prospect, or opened the emailed link
and pressed the button there. Until then it stays on the tour.
"""

from datetime import datetime

from portal.auth.services import normalise_email
from portal.extensions import db
from portal.models import Prospect, Tour
from portal.prospects.tour_events import address_confirmed


def owns_address(prospect: Prospect | None, email: str) -> bool:
    """Is the signed-in ``prospect`` (if any) the owner of ``email``?"""
    return prospect is not None and prospect.email == normalise_email(email)


def confirm_address(tour: Tour, *, now: datetime) -> bool:
    """The tour's address is the booker's: the tour now speaks for the prospect (flushes).

    :returns: False if it was confirmed already (nothing changes twice).
    """
    if tour.email_confirmed_at is not None:
        return False
    tour.email_confirmed_at = now
    address_confirmed(tour)
    db.session.flush()
    return True
