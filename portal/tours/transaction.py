"""The commit boundary for booking actions: a lost race becomes a clean "just taken"."""

import logging
from collections.abc import Callable

from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.tours.booking_errors import TAKEN_MESSAGE, BookingError, SlotTaken

log = logging.getLogger(__name__)
ATTEMPTS = 3


def commit_booking[T](action: Callable[[], T]) -> T:
    """Run ``action`` and commit once; roll back everything on any booking error.

    A unique-constraint violation means a concurrent request won the same time (or the
    same idempotency key): roll back and run the action again on fresh data, where the
    availability check now answers properly (taken, with alternatives, or the existing
    tour for a repeated key).
    """
    for _attempt in range(ATTEMPTS):
        try:
            result = action()
            db.session.commit()
            return result
        except BookingError:
            db.session.rollback()
            raise
        except IntegrityError as exc:
            db.session.rollback()
            log.info("booking lost a race, retrying: %s", exc.orig)
    raise SlotTaken(TAKEN_MESSAGE)
