"""The agent's completion form: what was learned on a tour, stored once for everyone.

``record_capture`` is the meeting point of the staff view and the follow-ups: the form
and the staff API both call it; it validates, flushes the ``TourCapture``, marks the
tour completed, saves the priorities learned in person as a ``PriorityVersion`` with
source "agent", moves the prospect's lead stage (``portal.prospects.lifecycle``) and
then publishes ``TourEvent("captured")`` so the follow-up planner plans in the same
transaction. ``portal.tours.outcomes`` records check-in and no-show with the same
conflict rules.

Both take the tour version the agent saw (``Tour.version``): a tour changed meanwhile
(rescheduled, cancelled, captured by a colleague) is a ``CaptureConflict`` that shows
the current state and overwrites nothing. Everything only flushes; the caller commits,
or rolls back on any exception.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from portal.extensions import db
from portal.forms import FieldErrors
from portal.input_limits import has_control_characters
from portal.models import NEXT_STEPS, OBJECTIONS, StaffUser, Tour, TourCapture, Unit
from portal.models.capture import INTEREST_LEVELS
from portal.prospects.lifecycle import advance_lifecycle
from portal.prospects.notes import note_contact
from portal.prospects.priorities import InvalidPriorities, Priorities, record_priorities
from portal.tours.booking import record_status
from portal.tours.events import TourEvent, publish

# A capture may be recorded from this long before the start (the agent checked the
# visitor in early) and at any time after it.
CAPTURE_EARLY = timedelta(minutes=30)
DECIDE_BY_HORIZON = timedelta(days=366)
LIMITS = {"liked": 1000, "objection_note": 500, "lost_reason": 200, "notes": 2000}
_MULTILINE = ("liked", "notes")
_CAPTURABLE = ("confirmed", "rescheduled", "completed")
_CLOSED_MESSAGES = {
    "cancelled_by_prospect": "The visitor cancelled this tour.",
    "cancelled_by_staff": "This tour was cancelled.",
    "expired": "This request expired before it was confirmed.",
    "requested": "This tour is still a request; confirm it first.",
    "no_show": "This tour was marked as a no-show.",
}


class CaptureInvalid(FieldErrors):
    """The completion form has answers out of range; ``fields`` names each one."""


class CaptureConflict(Exception):
    """The tour cannot take this capture as it stands now (cancelled, changed meanwhile).

    ``current_version`` and ``status`` describe the tour as it is, so the caller can
    show it and let the agent start again from there.
    """

    def __init__(self, message: str, tour: Tour):
        super().__init__(message)
        self.message = message
        self.tour_id = tour.id
        self.current_version = tour.version
        self.status = tour.status


@dataclass(frozen=True)
class Capture:
    """A validated completion form."""

    units_shown: list[int]
    interest_level: int
    liked: str
    objections: list[str]
    objection_note: str
    next_step: str
    decide_by: date | None
    lost_reason: str | None
    notes: str
    priorities: Priorities | None


def _text(data: dict, name: str, errors: dict) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[name] = "must be text"
        return ""
    value = value.strip()
    if has_control_characters(value, multiline=name in _MULTILINE):
        errors[name] = "must not hold control characters"
    elif len(value) > LIMITS[name]:
        errors[name] = f"must be at most {LIMITS[name]} characters"
    return value


def _ids(value, errors: dict) -> list[int]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        errors["units_shown"] = "must be a list of unit ids"
        return []
    return sorted(set(value))


def validate_capture(tour: Tour, data: dict, now: datetime) -> Capture:
    """Check a completion form against the tour; raises ``CaptureInvalid`` naming fields.

    :param data: ``units_shown`` (unit ids of the tour's community), ``interest_level``
        (1-5, required), ``liked``, ``objections`` (keys of ``OBJECTIONS``; "other"
        needs ``objection_note``), ``next_step`` (one of ``NEXT_STEPS``), ``decide_by``
        (a date or ISO string, required for "decide_by"), ``lost_reason`` (required for
        "lost"), ``notes``, ``priorities`` (a complete set of answers in the form of
        ``Priorities.to_json``, or None when nothing new was learned).
    """
    errors: dict[str, str] = {}
    known = {*Capture.__dataclass_fields__}
    for name in sorted(set(data) - known):
        errors[name] = "is not a field of the completion form"
    interest = data.get("interest_level")
    if interest is None or interest == "":
        errors["interest_level"] = "give the visitor's interest from 1 to 5"
    elif isinstance(interest, bool) or interest not in INTEREST_LEVELS:
        errors["interest_level"] = "must be a whole number from 1 to 5"
    units = _ids(data.get("units_shown"), errors)
    if units:
        found = set(
            db.session.scalars(
                sa.select(Unit.id).where(Unit.id.in_(units), Unit.property_id == tour.property_id)
            )
        )
        if set(units) - found:
            errors["units_shown"] = "every unit shown must belong to this tour's community"
    objections = data.get("objections") or []
    if not isinstance(objections, list) or not all(isinstance(o, str) for o in objections):
        errors["objections"] = "must be a list of objection keys"
        objections = []
    elif set(objections) - set(OBJECTIONS):
        errors["objections"] = f"must be among {', '.join(OBJECTIONS)}"
    objections = [o for o in OBJECTIONS if o in objections]  # the taxonomy's order
    texts = {name: _text(data, name, errors) for name in LIMITS}
    if "other" in objections and not texts["objection_note"]:
        errors["objection_note"] = 'say what the "other" objection was'
    next_step = data.get("next_step")
    if next_step not in NEXT_STEPS:
        errors["next_step"] = f"must be one of {', '.join(NEXT_STEPS)}"
    decide_by = data.get("decide_by")
    if isinstance(decide_by, str) and decide_by:
        try:
            decide_by = date.fromisoformat(decide_by)
        except ValueError:
            errors["decide_by"] = "must be a date (YYYY-MM-DD)"
            decide_by = None
    elif not isinstance(decide_by, date):
        decide_by = None
    if next_step == "decide_by" and decide_by is None and "decide_by" not in errors:
        errors["decide_by"] = "give the date the visitor will decide by"
    if decide_by is not None and next_step == "decide_by":
        today = now.astimezone(ZoneInfo(tour.property.time_zone)).date()
        if not today <= decide_by <= today + DECIDE_BY_HORIZON:
            errors["decide_by"] = "must be from today to a year ahead"
    if next_step == "lost" and not texts["lost_reason"] and "lost_reason" not in errors:
        errors["lost_reason"] = "say why the visitor is not going ahead"
    priorities = data.get("priorities")
    if priorities is not None and not isinstance(priorities, Priorities):
        try:
            priorities = Priorities.from_json(priorities if isinstance(priorities, dict) else {})
        except InvalidPriorities as exc:
            errors |= {f"priorities.{k}": v for k, v in exc.fields.items()}
            priorities = None
        if not isinstance(data.get("priorities"), dict):
            errors["priorities"] = "must be an object of answers"
    if errors:
        raise CaptureInvalid(errors)
    return Capture(
        units_shown=units,
        interest_level=interest,
        liked=texts["liked"],
        objections=objections,
        objection_note=texts["objection_note"],
        next_step=next_step,
        decide_by=decide_by if next_step == "decide_by" else None,
        lost_reason=texts["lost_reason"] if next_step == "lost" else None,
        notes=texts["notes"],
        priorities=priorities,
    )


def check_state(tour: Tour, expected_version: int, now: datetime, allowed) -> None:
    if tour.status not in allowed:
        message = _CLOSED_MESSAGES.get(tour.status, "This tour cannot be recorded now.")
        raise CaptureConflict(message, tour)
    if expected_version != tour.version:
        raise CaptureConflict(
            "This tour changed since you opened it (rescheduled, cancelled or recorded "
            "by someone else). Here it is as it stands now; nothing was saved.",
            tour,
        )
    if tour.checked_in_at is None and tour.starts_at - CAPTURE_EARLY > now:
        raise CaptureConflict("This tour has not started yet.", tour)


def flush_tour(tour: Tour) -> None:
    # The UPDATE of the tour carries its version; a colleague's commit in between
    # makes it match no row (StaleDataError): a conflict, not an overwrite.
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise CaptureConflict(
            "Someone else changed this tour just now; nothing was saved.", tour
        ) from exc


def complete_tour(tour: Tour, actor: str, now: datetime) -> None:
    """The one way a tour becomes completed: its status and the prospect's "toured" stage
    and last contact (the form and the outcome button both come here; no flush, no event:
    each caller publishes its own, once)."""
    record_status(tour, "completed", actor)
    note_contact(tour.prospect, now)
    advance_lifecycle(tour.prospect, "toured", now=now, actor=actor)


def record_capture(
    tour: Tour, staff: StaffUser, data: dict, *, expected_version: int, now: datetime
) -> TourCapture:
    """Record the completion form of ``tour`` by ``staff`` (flushes, never commits).

    :param data: the form's answers, see ``validate_capture``.
    :param expected_version: the ``Tour.version`` the agent's form was built from.
    :raises CaptureInvalid: an answer out of range; nothing was written.
    :raises CaptureConflict: the tour is cancelled, a no-show, not started, or changed
        since ``expected_version``; nothing was written. After a conflict raised by
        the flush itself the caller must roll back.
    """
    check_state(tour, expected_version, now, _CAPTURABLE)
    capture = validate_capture(tour, data, now)
    actor = f"staff:{staff.id}"
    row = db.session.scalar(sa.select(TourCapture).where(TourCapture.tour_id == tour.id))
    if row is None:
        row = TourCapture(tour_id=tour.id, created_at=now)
        db.session.add(row)
    row.staff_user_id = staff.id
    row.units_shown = capture.units_shown
    row.interest_level = capture.interest_level
    row.liked = capture.liked
    row.objections = capture.objections
    row.objection_note = capture.objection_note
    row.next_step = capture.next_step
    row.decide_by = capture.decide_by
    row.lost_reason = capture.lost_reason
    row.notes = capture.notes
    row.updated_at = now
    if tour.status != "completed":
        complete_tour(tour, actor, now)
    tour.updated_at = now  # an UPDATE even when re-captured, so the version moves on
    flush_tour(tour)
    prospect = tour.prospect
    note_contact(prospect, now)
    if capture.priorities is not None:
        record_priorities(
            capture.priorities,
            source="agent",
            prospect=prospect,
            staff_user_id=staff.id,
            now=now,
        )
    if capture.next_step == "apply":
        advance_lifecycle(prospect, "applied", now=now, actor=actor)
    elif capture.next_step == "lost":
        advance_lifecycle(prospect, "lost", reason=capture.lost_reason, now=now, actor=actor)
    publish(TourEvent("captured", tour, now, capture=row, actor=actor))
    return row
