"""What may go to a prospect now: channel, pace, quiet hours, pause and the weekly cap.

Asked at SEND time (not only when a message is planned), with the clock as a parameter.
A message that may not go now is deferred to the next allowed moment, not dropped; only
a message whose step has expired by then, or one the prospect's choices rule out (pace
"on request", a channel they did not choose, no address) is skipped, with the reason.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from portal.models import ContactPreference

DEFAULT_QUIET_FROM = time(20)
DEFAULT_QUIET_UNTIL = time(9)
DEFAULT_WEEKLY_CAP = 3
DEFAULT_DAILY_CAP = 1
WEEK = timedelta(days=7)
_MAX_ROUNDS = 20  # each round moves past one constraint; a handful always suffices


@dataclass(frozen=True)
class ContactRules:
    """A prospect's choices with the defaults applied (zone: the toured property's)."""

    channel: str
    pace: str
    zone: ZoneInfo
    quiet_from: time
    quiet_until: time
    paused_until: date | None = None
    unsubscribed: bool = False


@dataclass(frozen=True)
class Caps:
    weekly: int = DEFAULT_WEEKLY_CAP
    daily: int = DEFAULT_DAILY_CAP

    @classmethod
    def from_config(cls, config) -> "Caps":
        return cls(
            weekly=int(config.get("FOLLOWUPS_WEEKLY_CAP", DEFAULT_WEEKLY_CAP)),
            daily=int(config.get("FOLLOWUPS_DAILY_CAP", DEFAULT_DAILY_CAP)),
        )


@dataclass(frozen=True)
class Decision:
    action: str  # "send", "defer" or "skip"
    reason: str = ""
    at: datetime | None = None  # for "defer": the next allowed moment
    channel: str | None = None  # for "send": the channel to use


def rules_for(prefs: ContactPreference | None, property_zone: str) -> ContactRules:
    """The prospect's stored choices, or the defaults: email, any pace, the property's zone,
    quiet from 20:00 to 09:00."""
    if prefs is None:
        return ContactRules(
            "email", "any", ZoneInfo(property_zone), DEFAULT_QUIET_FROM, DEFAULT_QUIET_UNTIL
        )
    quiet_set = prefs.quiet_from is not None and prefs.quiet_until is not None
    return ContactRules(
        channel=prefs.channel or "email",
        pace=prefs.pace or "any",
        zone=ZoneInfo(prefs.time_zone or property_zone),
        quiet_from=prefs.quiet_from if quiet_set else DEFAULT_QUIET_FROM,
        quiet_until=prefs.quiet_until if quiet_set else DEFAULT_QUIET_UNTIL,
        paused_until=prefs.paused_until,
        unsubscribed=prefs.unsubscribed_at is not None,
    )


def resolve_channel(step_channel: str, rules: ContactRules) -> tuple[str | None, str]:
    """The channel a step goes on for this prospect, or None with the reason."""
    if rules.channel == "none":
        return None, "asked not to be contacted"
    if step_channel == "preferred" or step_channel == rules.channel:
        return rules.channel, ""
    return None, f"the step is {step_channel} but the prospect chose {rules.channel}"


def in_quiet_hours(moment: datetime, rules: ContactRules) -> bool:
    local = moment.astimezone(rules.zone).time()
    start, end = rules.quiet_from, rules.quiet_until
    if start < end:
        return start <= local < end
    return local >= start or local < end


def _quiet_end(moment: datetime, rules: ContactRules) -> datetime:
    """The end of the quiet window ``moment`` is in (the same or the next local day)."""
    local = moment.astimezone(rules.zone)
    end = datetime.combine(local.date(), rules.quiet_until, rules.zone)
    if end <= local:
        end = datetime.combine(local.date() + timedelta(days=1), rules.quiet_until, rules.zone)
    return end


def _next_day_start(moment: datetime, rules: ContactRules) -> datetime:
    local = moment.astimezone(rules.zone)
    start = datetime.combine(local.date() + timedelta(days=1), time(0), rules.zone)
    return _quiet_end(start, rules) if in_quiet_hours(start, rules) else start


def next_allowed(
    now: datetime, rules: ContactRules, recent: list[datetime], caps: Caps
) -> tuple[datetime, str]:
    """The first moment from ``now`` on when a message may go, and what held it back.

    :param recent: when this prospect's follow-ups (all plans) went out in the last week.
    """
    moment, held = now, ""
    sent = sorted(recent)
    for _ in range(_MAX_ROUNDS):
        start = moment
        if rules.paused_until is not None:
            local_day = moment.astimezone(rules.zone).date()
            if local_day <= rules.paused_until:
                resume = rules.paused_until + timedelta(days=1)
                moment = datetime.combine(resume, time(0), rules.zone)
                held = held or "paused"
        if rules.pace == "weekly" and sent and moment < sent[-1] + WEEK:
            moment, held = sent[-1] + WEEK, held or "weekly pace"
        window = [s for s in sent if moment - WEEK < s <= moment]
        if len(window) >= caps.weekly:
            moment, held = window[-caps.weekly] + WEEK, held or "weekly cap"
        local_day = moment.astimezone(rules.zone).date()
        same_day = [s for s in sent if s.astimezone(rules.zone).date() == local_day]
        if len(same_day) >= caps.daily:
            moment, held = _next_day_start(moment, rules), held or "one a day"
        if in_quiet_hours(moment, rules):
            moment, held = _quiet_end(moment, rules), held or "quiet hours"
        if moment == start:
            break
    return moment.astimezone(now.tzinfo), held


def decide(
    *,
    rules: ContactRules,
    step_channel: str,
    now: datetime,
    expires_at: datetime,
    recent: list[datetime],
    caps: Caps,
    has_email: bool,
    has_phone: bool,
) -> Decision:
    """Send now, defer to the next allowed moment, or skip (with the reason)."""
    if rules.unsubscribed:
        return Decision("skip", "unsubscribed")
    channel, why = resolve_channel(step_channel, rules)
    if channel is None:
        return Decision("skip", why)
    if rules.pace == "on_request":
        return Decision("skip", "pace is 'on request': nothing is sent unasked")
    if channel == "email" and not has_email:
        return Decision("skip", "no email address")
    if channel in ("sms", "phone") and not has_phone:
        return Decision("skip", "no phone number")
    if channel == "phone":
        # A call is the agent's task, made in working hours; caps count what we send.
        return Decision("send", channel=channel)
    moment, held = next_allowed(now, rules, recent, caps)
    if moment > expires_at:
        return Decision("skip", f"expired: {held} until after the step's last day")
    if moment > now:
        return Decision("defer", held, at=moment)
    return Decision("send", channel=channel)
