"""Book, move and cancel tours. Every function flushes; the caller commits.

The availability check here gives a friendly answer; the guarantee against double
booking is in ``claims`` (database constraints), which every activating path calls.
Callers commit through ``portal.tours.transaction.commit_booking`` so that a lost
race is rolled back and answered like any other taken slot.

The page and the API both book through ``book_tour`` with the same ``Booker`` and
``BookingLimits``, so they share one set of limits (``booking_limits``), one rule
for whose address an email is (``address_check``) and one idempotency key store
(``request_keys``).
"""

import secrets
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from portal.auth.services import normalise_email
from portal.extensions import db
from portal.models import Prospect, Tour, TourStatusChange, TourType, Unit
from portal.prospects.records import find_or_create_prospect
from portal.prospects.tour_events import tour_answers_given, tour_booked
from portal.tours import booking_limits, claims, notices, reminders, request_keys
from portal.tours.address_check import owns_address
from portal.tours.booking_errors import (
    KEY_REUSED_MESSAGE,
    TAKEN_MESSAGE,
    BookingLimited,
    IdempotencyKeyReused,
    InvalidSlot,
    SlotTaken,
    TourClosed,
)
from portal.tours.booking_limits import BookingLimits
from portal.tours.events import TourEvent, publish
from portal.tours.free_slots import rules_for, slots_by_day
from portal.tours.manage_links import new_token
from portal.tours.slots import Slot, bookable, candidate_starts, nearest
from portal.tours.tour_settings import TourSettings


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str = ""
    channel: str = "email"
    priorities: list[str] = field(default_factory=list)
    priorities_note: str = ""


@dataclass(frozen=True)
class Booker:
    """Who sends a booking, as the page or the API sees them (no request in here).

    :param client: the client's address: limits are counted per client, and
        idempotency keys are looked up within it.
    :param via: ``page`` or ``api``: keys of one never find tours of the other.
    :param prospect: the signed-in prospect, whose own address needs no confirming.
    """

    client: str
    via: str
    prospect: Prospect | None = None


def alternatives_near(
    tour_type: TourType, start: datetime, now: datetime, ignore_tour: Tour | None = None
) -> list[Slot]:
    tz_day = start.astimezone(rules_for(tour_type).time_zone).date()
    days = slots_by_day(
        tour_type,
        tz_day - timedelta(days=1),
        tz_day + timedelta(days=2),
        now,
        ignore_tour=ignore_tour,
    )
    return nearest([s for day in days.values() for s in day if s.start != start], start)


def check_slot(
    tour_type: TourType, start: datetime, now: datetime, ignore_tour: Tour | None = None
) -> Slot:
    """The free slot starting at ``start``, or a clear reason why it cannot be booked."""
    if start.tzinfo is None:
        raise InvalidSlot("Give the time with its time zone.", "start")
    if start <= now:
        raise InvalidSlot("That time has already passed.", "start")
    rules = rules_for(tour_type)
    day = start.astimezone(rules.time_zone).date()
    if start not in candidate_starts(rules, day):
        raise InvalidSlot("We do not offer tours at that time.", "start")
    if not bookable(start, rules, now):
        raise InvalidSlot("That time is too soon or too far ahead to book.", "start")
    for slot in slots_by_day(tour_type, day, day, now, ignore_tour=ignore_tour)[day]:
        if slot.start == start:
            return slot
    raise SlotTaken(TAKEN_MESSAGE, alternatives_near(tour_type, start, now, ignore_tour))


def record_status(tour: Tour, status: str, actor: str, note: str = "") -> None:
    tour.history.append(
        TourStatusChange(
            from_status=tour.status,
            to_status=status,
            starts_at=tour.starts_at,
            actor=actor,
            note=note,
        )
    )
    tour.status = status


def _hold(tour: Tour, slot: Slot, now: datetime) -> None:
    rules = rules_for(tour.tour_type)
    if tour.tour_type.needs_agent:
        # Prefer the agent the tour already has; otherwise the least loaded one free.
        agent_id = tour.agent_id if tour.agent_id in slot.agent_ids else slot.agent_ids[0]
        tour.agent_id = agent_id
    else:
        agent_id = None
    try:
        claims.hold(tour, rules, agent_id)
    except claims.PlaceTaken:
        raise SlotTaken(
            TAKEN_MESSAGE, alternatives_near(tour.tour_type, tour.starts_at, now, tour)
        ) from None


def _tour_with_key(request_key: request_keys.RequestKey | None) -> Tour | None:
    """The tour an earlier request with this key made, if the key is live and the same."""
    if request_key is None:
        return None
    stored = request_keys.find(request_key)
    if stored is None:
        return None
    if stored.request_hash != request_key.request_hash:
        raise IdempotencyKeyReused(KEY_REUSED_MESSAGE, "idempotency_key")
    return stored.tour


def _check_limits(
    limits: BookingLimits, booker: Booker | None, email: str, unit: Unit | None, now: datetime
) -> None:
    refusal = booking_limits.check_open_tours(limits, email=email, now=now)
    refusal = refusal or booking_limits.check_rates(
        limits,
        client=booker.client if booker else None,
        email=email,
        unit_id=unit.id if unit else None,
    )
    if refusal is not None:
        raise BookingLimited(refusal.message, refusal.retry_after)


def _hold_until(
    tour_type: TourType,
    start: datetime,
    email: str,
    confirmed: bool,
    limits: BookingLimits | None,
    now: datetime,
) -> datetime | None:
    """Until when the booking is only a request, or None when it is confirmed at once.

    An instant tour type confirms at once for a booker whose address is confirmed;
    for anyone else it asks for the emailed link, unless the property lets it through
    up to the caps (``booking_limits.instant_allowed_unverified``).
    """
    hold = timedelta(hours=tour_type.hold_hours)
    if tour_type.confirmation != "instant":
        return now + hold
    if confirmed:
        return None
    if limits is None:  # a trusted caller (CLI, demo): the property's choice alone decides
        capped = tour_type.property.unverified_instant == "capped"
    else:
        capped = booking_limits.instant_allowed_unverified(
            limits, tour_type, email=email, start=start, now=now
        )
        hold = min(hold, limits.unverified_hold)
    return None if capped else now + hold


def book_tour(
    tour_type: TourType,
    start: datetime,
    contact: Contact,
    *,
    now: datetime,
    settings: TourSettings,
    unit: Unit | None = None,
    idempotency_key: str | None = None,
    booker: Booker | None = None,
    limits: BookingLimits | None = None,
) -> tuple[Tour, bool]:
    """Book a tour; returns ``(tour, created)``. A repeated idempotency key returns the first.

    :param booker: who books (page or API, client address, signed-in prospect);
        None for trusted callers such as the CLI and the demo.
    :param limits: the booking limits to apply; None applies none.
    :raises IdempotencyKeyReused: the key was used with another request (in its scope).
    :raises BookingLimited: a limit or cap would be exceeded.
    """
    request_key = request_keys.RequestKey.for_booking(
        idempotency_key,
        scope=f"{booker.via}:{booker.client}" if booker else "",
        request={
            "tour_type": tour_type.id,
            "unit": unit.id if unit else None,
            "start": start.isoformat(),
            **asdict(contact),
        },
        now=now,
    )
    if (existing := _tour_with_key(request_key)) is not None:
        return existing, False
    if not tour_type.active:
        raise InvalidSlot("That kind of tour is not offered here.", "type")
    if unit is not None and unit.property_id != tour_type.property_id:
        raise InvalidSlot("That kind of tour is not offered for this home.", "type")
    release_expired_requests(now)  # first, so that expired requests count for no cap
    email = normalise_email(contact.email)
    if limits is not None:
        _check_limits(limits, booker, email, unit, now)
    try:
        slot = check_slot(tour_type, start, now)
    except SlotTaken:
        # A double submit racing its twin: the twin may have just booked this very time.
        if (existing := _tour_with_key(request_key)) is not None:
            return existing, False
        raise
    confirmed = owns_address(booker.prospect if booker else None, email)
    expires_at = _hold_until(tour_type, slot.start, email, confirmed, limits, now)
    review = expires_at is not None
    tour = Tour(
        token=new_token(),
        uid=f"{uuid.uuid4().hex}@doorstep",
        idempotency_key=idempotency_key or None,
        property_id=tour_type.property_id,
        tour_type=tour_type,
        unit_id=unit.id if unit else None,
        prospect=find_or_create_prospect(
            contact.email, name=contact.name, phone=contact.phone, now=now, confirmed=confirmed
        ),
        starts_at=slot.start,
        ends_at=slot.end,
        expires_at=expires_at,
        email_confirmed_at=now if confirmed else None,
        name=contact.name,
        email=contact.email.strip(),
        phone=contact.phone,
        contact_channel=contact.channel,
        priorities=list(contact.priorities),
        priorities_note=contact.priorities_note,
    )
    if tour_type.kind == "video":
        tour.video_room_url = f"{settings.video_base_url}/doorstep-{secrets.token_urlsafe(16)}"
    if tour_type.kind == "self_guided":
        tour.access_code = f"{secrets.randbelow(10**6):06d}"
    record_status(tour, "requested" if review else "confirmed", "prospect")
    db.session.add(tour)
    db.session.flush()
    if request_key is not None:
        request_keys.remember(request_key, tour)
    _hold(tour, slot, now)
    reminders.plan(tour, now, settings)
    tour_booked(tour, now=now)
    notices.queue(tour, "requested" if review else "confirmed")
    publish(TourEvent("booked", tour, now, actor="prospect"))
    return tour, True


def record_tour_answers(tour: Tour, priorities: list[str], note: str) -> None:
    """Keep the "what matters to you" answers on the tour and in the prospect's priorities."""
    tour.priorities = list(priorities)
    tour.priorities_note = note.strip()
    tour_answers_given(tour)


def _ensure_changeable(tour: Tour, now: datetime) -> None:
    if not tour.is_active:
        raise TourClosed("This tour has been cancelled or has already taken place.")
    if tour.starts_at <= now:
        raise TourClosed("This tour has already started, so it can no longer be changed.")


def reschedule_tour(
    tour: Tour, start: datetime, *, now: datetime, settings: TourSettings, actor: str = "prospect"
) -> Tour:
    """Move an active tour to another free slot; the calendar sequence goes up."""
    _ensure_changeable(tour, now)
    if start == tour.starts_at:
        raise InvalidSlot("That is already the time of your tour.", "start")
    slot = check_slot(tour.tour_type, start, now, ignore_tour=tour)
    claims.release(tour)
    tour.starts_at, tour.ends_at = slot.start, slot.end
    tour.sequence += 1
    _hold(tour, slot, now)
    record_status(tour, "requested" if tour.status == "requested" else "rescheduled", actor)
    reminders.plan(tour, now, settings)
    notices.queue(tour, "rescheduled")
    publish(TourEvent("rescheduled", tour, now, actor=actor))
    return tour


def cancel_tour(
    tour: Tour, *, now: datetime, by: str = "prospect", actor: str = "prospect"
) -> Tour:
    """Cancel an active tour: its time, reminders and calendar entry go in one transaction."""
    _ensure_changeable(tour, now)
    claims.release(tour)
    tour.sequence += 1
    record_status(tour, "cancelled_by_staff" if by == "staff" else "cancelled_by_prospect", actor)
    reminders.cancel(tour)
    notices.queue(tour, "cancelled")
    publish(TourEvent("cancelled", tour, now, actor=actor))
    return tour


def release_expired_requests(now: datetime) -> int:
    """Requests nobody confirmed in time give their slot back."""
    expired = db.session.scalars(
        sa.select(Tour).where(Tour.status == "requested", Tour.expires_at <= now)
    ).all()
    for tour in expired:
        claims.release(tour)
        tour.sequence += 1
        record_status(tour, "expired", "system", "not confirmed in time")
        reminders.cancel(tour)
        notices.queue(tour, "expired")
    return len(expired)
