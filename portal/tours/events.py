"""Tour events and who listens to them: where the tour side hands over to follow-ups.

An explicit in-process registry, not string-keyed magic: a listener is a plain
function registered once at start-up (``portal.create_app`` via the listening
package's ``register``), called synchronously inside the caller's transaction so that
what it writes (follow-up messages) commits or rolls back with the trigger.

Publishers: booking (``booked``), cancellation (``cancelled``), staff outcomes
(``checked_in``, ``no_show``, ``completed``) and ``tours.capture.record_capture``
(``captured``, after the capture, the priority version and the stage change flushed).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from portal.models import Tour, TourCapture

TourEventKind = Literal[
    "booked", "rescheduled", "cancelled", "checked_in", "no_show", "completed", "captured"
]
TOUR_EVENT_KINDS: tuple[str, ...] = TourEventKind.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class TourEvent:
    kind: TourEventKind
    tour: "Tour"
    at: datetime
    capture: "TourCapture | None" = None
    # "prospect", "system" or "staff:<id>", as in TourStatusChange.actor.
    actor: str = "system"


Listener = Callable[[TourEvent], None]
_listeners: list[Listener] = []


def subscribe(listener: Listener) -> Listener:
    """Register ``listener`` for every tour event (idempotent: once per function)."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def unsubscribe(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def publish(event: TourEvent) -> None:
    """Call every listener in registration order, in the caller's transaction.

    Listeners flush, never commit; an exception propagates so the trigger rolls back
    with it (a capture is never stored without the follow-ups it starts).
    """
    if event.kind not in TOUR_EVENT_KINDS:
        raise ValueError(f"unknown tour event {event.kind!r}")
    for listener in list(_listeners):
        listener(event)
