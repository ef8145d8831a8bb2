"""Why a booking, move or cancellation was refused, with a message for the visitor.

The page, the API and the staff views catch ``BookingError`` and show its ``message``
(next to ``field`` when one is named); the subclasses carry what each answer needs.
"""

from portal.tours.slots import Slot


class BookingError(Exception):
    """A booking request that cannot be carried out, with a message for the visitor."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidSlot(BookingError):
    """The time is not one we offer: past, off the grid, outside hours or the horizon."""


class SlotTaken(BookingError):
    """Someone else has the time; ``alternatives`` are the nearest free slots."""

    def __init__(self, message: str, alternatives: list[Slot] | None = None):
        super().__init__(message, "start")
        self.alternatives = alternatives or []


class TourClosed(BookingError):
    """The tour can no longer be changed (cancelled, over, or expired)."""


class BookingLimited(BookingError):
    """Too many bookings from this client, address or listing; try in ``retry_after`` s."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class IdempotencyKeyReused(BookingError):
    """The idempotency key was already used for a different booking request."""


KEY_REUSED_MESSAGE = (
    "This request key was already used for a different booking. Send a new key for a new booking."
)


TAKEN_MESSAGE = "Sorry, this time was just taken. Please pick another one."
