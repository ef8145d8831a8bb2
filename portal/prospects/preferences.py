"""Contact preferences: channel, pace, quiet hours, pause and one-click unsubscribe.

``may_contact`` is the single gate every later message (follow-ups, reminders,
marketing) asks before sending; messages the prospect just asked for (a sign-in
link, the confirmation of the tour they booked) always go out by email.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from itsdangerous import BadSignature, URLSafeSerializer

from portal.extensions import db
from portal.forms import FieldErrors
from portal.models import CONTACT_CHANNELS, CONTACT_PACES, ContactPreference, Prospect
from portal.models.base import utcnow
from portal.models.prospect import new_unsubscribe_key

WEEK = timedelta(days=7)
_UNSUBSCRIBE_SALT = "prospect-unsubscribe"


class InvalidPreferences(FieldErrors):
    """Contact choices that cannot be honoured."""


@dataclass(frozen=True)
class ContactDecision:
    allowed: bool
    reason: str
    not_before: datetime | None = None  # when a deferred message may go out


def preferences_of(prospect: Prospect) -> ContactPreference:
    """The stored preferences, or unsaved defaults (email, any pace) if none yet."""
    prefs = db.session.get(ContactPreference, prospect.id)
    if prefs is None:
        prefs = ContactPreference(prospect_id=prospect.id, channel="email", pace="any")
        prefs.time_zone = "Europe/Helsinki"
    return prefs


def update_preferences(
    prospect: Prospect,
    *,
    channel: str,
    pace: str,
    quiet_from: time | None = None,
    quiet_until: time | None = None,
    paused_until: date | None = None,
    time_zone: str = "Europe/Helsinki",
    today: date | None = None,
    marketing_consent: bool | None = None,
    now: datetime | None = None,
) -> ContactPreference:
    """Save the prospect's choices (flushes); saving also lifts an unsubscribe.

    :param marketing_consent: True/False gives or withdraws the consent to messages about
        saved homes before any tour (the follow-ups' favourites plan); None keeps it.
    """
    errors = {}
    if channel not in CONTACT_CHANNELS:
        errors["channel"] = f"must be one of {', '.join(CONTACT_CHANNELS)}"
    if channel in ("sms", "phone") and not prospect.phone:
        errors["channel"] = "needs a phone number on your account"
    if pace not in CONTACT_PACES:
        errors["pace"] = f"must be one of {', '.join(CONTACT_PACES)}"
    if (quiet_from is None) != (quiet_until is None):
        errors["quiet_until"] = "give both the start and the end of your quiet hours"
    elif quiet_from is not None and quiet_from == quiet_until:
        errors["quiet_until"] = "quiet hours must not start and end at the same time"
    if paused_until is not None and paused_until < (today or utcnow().date()):
        errors["paused_until"] = "must be today or later"
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = "is not a known time zone"
    if errors:
        raise InvalidPreferences(errors)
    prefs = db.session.get(ContactPreference, prospect.id)
    if prefs is None:
        prefs = ContactPreference(prospect_id=prospect.id)
        db.session.add(prefs)
    prefs.channel, prefs.pace = channel, pace
    prefs.quiet_from, prefs.quiet_until = quiet_from, quiet_until
    prefs.paused_until, prefs.time_zone = paused_until, time_zone
    prefs.unsubscribed_at = None
    if marketing_consent is False:
        prefs.marketing_consent_at = None
    elif marketing_consent and prefs.marketing_consent_at is None:
        prefs.marketing_consent_at = now or utcnow()
    db.session.flush()
    return prefs


def unsubscribe(prospect: Prospect, now: datetime | None = None) -> ContactPreference:
    """Stop every message the prospect did not ask for (flushes)."""
    prefs = db.session.get(ContactPreference, prospect.id)
    if prefs is None:
        prefs = ContactPreference(prospect_id=prospect.id, channel="email", pace="any")
        db.session.add(prefs)
    if prefs.unsubscribed_at is None:
        prefs.unsubscribed_at = now or utcnow()
    db.session.flush()
    return prefs


def unsubscribe_token(prospect: Prospect, secret_key: str | None = None) -> str:
    """The opaque, permanent token of the one-click unsubscribe link that every message
    the prospect did not ask for carries (``queue_email(unsubscribe_url=...)``): a random
    key stored with the prospect, so the link names no account id."""
    if prospect.unsubscribe_key is None:  # not flushed yet: the column default comes later
        prospect.unsubscribe_key = new_unsubscribe_key()
    return prospect.unsubscribe_key


def prospect_for_unsubscribe(token: str, secret_key: str) -> Prospect | None:
    """The prospect whose unsubscribe link ``token`` is (None: unknown, or erased).

    Links mailed before the keys existed carried the signed prospect id; they still work.
    """
    prospect = db.session.scalar(sa.select(Prospect).where(Prospect.unsubscribe_key == token))
    if prospect is None:
        try:
            prospect_id = URLSafeSerializer(secret_key, salt=_UNSUBSCRIBE_SALT).loads(token)
        except BadSignature:
            return None
        if not isinstance(prospect_id, int):
            return None
        prospect = db.session.get(Prospect, prospect_id)
    return prospect if prospect is not None and prospect.erased_at is None else None


def _in_quiet_hours(local: time, start: time, end: time) -> bool:
    if start < end:
        return start <= local < end
    return local >= start or local < end  # wraps midnight, e.g. 21:00–08:00


def may_contact(
    prefs: ContactPreference,
    *,
    channel: str,
    now: datetime,
    last_sent_at: datetime | None = None,
    requested: bool = False,
    about_their_booking: bool = False,
) -> ContactDecision:
    """May we send a message on ``channel`` now?

    :param last_sent_at: when the last unrequested message went to this prospect
        (the weekly pace counts from it).
    :param requested: the prospect just asked for this very message.
    :param about_their_booking: a service message about a tour they booked (a
        reminder): booking asked for it, so the channel and pace chosen for our other
        messages do not hold it back; unsubscribe, "do not contact", a pause and
        quiet hours still do.
    """
    if requested and channel == "email":
        return ContactDecision(True, "requested by the prospect")
    if prefs.unsubscribed_at is not None:
        return ContactDecision(False, "unsubscribed")
    if prefs.channel == "none":
        return ContactDecision(False, "asked not to be contacted")
    if channel != prefs.channel and not about_their_booking:
        return ContactDecision(False, f"prefers {prefs.channel}")
    if about_their_booking:
        requested = True  # the weekly pace and "only when I ask" are about our other messages
    if prefs.pace == "on_request" and not requested:
        return ContactDecision(False, "only when they ask")
    zone = ZoneInfo(prefs.time_zone)
    local = now.astimezone(zone)
    if prefs.paused_until is not None and local.date() <= prefs.paused_until:
        resume = datetime.combine(prefs.paused_until + timedelta(days=1), time(9), zone)
        return ContactDecision(False, "paused", resume)
    weekly = prefs.pace == "weekly" and not requested
    if weekly and last_sent_at is not None and now - last_sent_at < WEEK:
        return ContactDecision(False, "at most one message a week", last_sent_at + WEEK)
    quiet = prefs.quiet_from is not None and prefs.quiet_until is not None
    if quiet and _in_quiet_hours(local.time(), prefs.quiet_from, prefs.quiet_until):
        end = datetime.combine(local.date(), prefs.quiet_until, zone)
        if end <= local:
            end += timedelta(days=1)
        return ContactDecision(False, "quiet hours", end)
    return ContactDecision(True, "within preferences")
