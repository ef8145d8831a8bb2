"""Limits on booking that a bot meets and a real visitor does not, for the page and the API.

``portal.tours.booking.book_tour`` asks this module before it books, whichever way the
booking came in, so the page and the API share one budget (a per-route decorator
alone would count each route apart). Two kinds of limit:

* rates, counted in Flask-Limiter's storage (the app's ``limiter``): per client
  address, per email address (normalised) and per listing and day. With Redis every
  gunicorn worker shares the counts; with Redis down or hung the counts go on in this
  process (logged), never a failed booking (README "Redis");
* caps, counted in the database: open (future, active) tours per email, and how many
  tours an instant tour type confirms at once for an address nobody has confirmed
  (per email, and per tour type and day); beyond those the booking waits for the
  emailed link instead of being refused.

Nothing here reads the request: the caller passes the client's address and the clock.
"""

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter, RateLimiter

from portal.extensions import db, limiter
from portal.models import ACTIVE_STATUSES, Tour, TourType

log = logging.getLogger(__name__)

# Used only for the rest of one check when the shared storage fails mid-way; the next
# request finds Flask-Limiter's own in-memory fallback through ``limiter.limiter``.
_FALLBACK = FixedWindowRateLimiter(MemoryStorage())


@dataclass(frozen=True)
class BookingLimits:
    """How much one client, one address and one listing may book (README "Booking limits").

    :param per_client: rate per client address, e.g. ``"10/hour;30/day"``.
    :param per_email: rate per (normalised) email address.
    :param per_listing: rate per listing, counted per day.
    :param open_tours_per_email: upcoming active tours one address may hold at once.
    :param unverified_instant_per_email: upcoming tours confirmed at once for one
        address that nobody has confirmed ("capped" properties).
    :param unverified_instant_per_day: such tours per tour type and local day.
    :param unverified_hold: how long an unconfirmed address's request holds its time
        (at most the tour type's own hold).
    :param key_prefix: Flask-Limiter's ``RATELIMIT_KEY_PREFIX``, shared with its counters.
    """

    per_client: str = "10/hour;30/day"
    per_email: str = "5/hour;10/day"
    per_listing: str = "40/day"
    open_tours_per_email: int = 3
    unverified_instant_per_email: int = 2
    unverified_instant_per_day: int = 8
    unverified_hold: timedelta = timedelta(hours=2)
    key_prefix: str = ""

    @classmethod
    def from_config(cls, config: Mapping) -> "BookingLimits":
        return cls(
            per_client=config.get("TOUR_BOOKING_LIMIT_PER_CLIENT", cls.per_client),
            per_email=config.get("TOUR_BOOKING_LIMIT_PER_EMAIL", cls.per_email),
            per_listing=config.get("TOUR_BOOKING_LIMIT_PER_LISTING", cls.per_listing),
            open_tours_per_email=config.get("TOUR_OPEN_TOURS_PER_EMAIL", cls.open_tours_per_email),
            unverified_instant_per_email=config.get(
                "TOUR_UNVERIFIED_INSTANT_PER_EMAIL", cls.unverified_instant_per_email
            ),
            unverified_instant_per_day=config.get(
                "TOUR_UNVERIFIED_INSTANT_PER_DAY", cls.unverified_instant_per_day
            ),
            unverified_hold=timedelta(
                minutes=config.get("TOUR_UNVERIFIED_HOLD_MINUTES", 120),
            ),
            key_prefix=config.get("RATELIMIT_KEY_PREFIX", ""),
        )


@dataclass(frozen=True)
class Refusal:
    """Why a booking may not go ahead now, and in how many seconds to try again."""

    message: str
    retry_after: int


RATE_MESSAGE = (
    "We have received a lot of tour bookings from you in a short time, so we paused "
    "booking for a while. Please try again later, or call the community."
)
OPEN_TOURS_MESSAGE = (
    "This email address already has {count} upcoming tours booked. Please cancel one "
    "(each has a link in its confirmation email) or visit first, then book again."
)


def check_rates(
    limits: BookingLimits, *, client: str | None, email: str, unit_id: int | None
) -> Refusal | None:
    """Count this booking against the rates, or say which rate it would exceed.

    Nothing is counted for a refused booking. Does nothing when rate limiting is off
    (``RATELIMIT_ENABLED=0``).
    """
    if not limiter.enabled:
        return None
    subjects = [("client", client, limits.per_client), ("email", email, limits.per_email)]
    subjects.append(("listing", str(unit_id) if unit_id else None, limits.per_listing))
    counters = [
        (item, (limits.key_prefix, "tour-booking", kind, value))
        for kind, value, rates in subjects
        if value and rates
        for item in parse_many(rates)
    ]
    try:
        return _count(limiter.limiter, counters)
    except Exception as exc:  # Redis down or hung: count in this process, never fail the booking
        log.warning("booking limits: rate limit storage unreachable, counting in memory: %s", exc)
        return _count(_FALLBACK, counters)


def _count(rates: RateLimiter, counters: list[tuple[RateLimitItem, tuple[str, ...]]]):
    full = [(item, keys) for item, keys in counters if not rates.test(item, *keys)]
    if full:
        reset = max(rates.get_window_stats(item, *keys).reset_time for item, keys in full)
        return Refusal(RATE_MESSAGE, max(1, int(reset - time.time())))
    for item, keys in counters:
        rates.hit(item, *keys)
    return None


def _upcoming(email: str, now: datetime):
    return sa.and_(
        Tour.email_normalised == email,
        Tour.status.in_(ACTIVE_STATUSES),
        Tour.starts_at > now,
    )


def check_open_tours(limits: BookingLimits, *, email: str, now: datetime) -> Refusal | None:
    """At most ``open_tours_per_email`` upcoming active tours per address."""
    count, first = db.session.execute(
        sa.select(sa.func.count(Tour.id), sa.func.min(Tour.starts_at)).where(_upcoming(email, now))
    ).one()
    if count < limits.open_tours_per_email:
        return None
    # Retry when the first of them has started (it is no longer open then).
    retry = int((first - now).total_seconds())
    return Refusal(OPEN_TOURS_MESSAGE.format(count=count), max(1, retry))


def instant_allowed_unverified(
    limits: BookingLimits, tour_type: TourType, *, email: str, start: datetime, now: datetime
) -> bool:
    """May an instant tour type confirm at once for an address nobody has confirmed?

    Only on a "capped" property, and within both caps: upcoming tours so confirmed for
    this address, and for this tour type on the tour's local day.
    """
    if tour_type.property.unverified_instant != "capped":
        return False
    unverified = sa.and_(
        Tour.email_confirmed_at.is_(None), Tour.status.in_(("confirmed", "rescheduled"))
    )
    per_email = db.session.scalar(
        sa.select(sa.func.count(Tour.id)).where(_upcoming(email, now), unverified)
    )
    if per_email >= limits.unverified_instant_per_email:
        return False
    tz = ZoneInfo(tour_type.property.time_zone)
    day_start = datetime.combine(start.astimezone(tz).date(), datetime.min.time(), tzinfo=tz)
    per_day = db.session.scalar(
        sa.select(sa.func.count(Tour.id)).where(
            Tour.tour_type_id == tour_type.id,
            Tour.starts_at >= day_start,
            Tour.starts_at < day_start + timedelta(days=1),
            unverified,
        )
    )
    return per_day < limits.unverified_instant_per_day
