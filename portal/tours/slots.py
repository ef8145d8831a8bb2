"""Slot generation: pure functions from availability rules to bookable start times.

No database and no clock in here; callers pass the rules, the busy time and ``now``.
Local rules (opening hours, working hours, holidays) are in the property's wall-clock
time; every instant that comes out is an aware UTC datetime. Stepping happens in
absolute time from each window's opening, so a DST change never shifts or
duplicates a slot, and a wall-clock time that does not exist that day is skipped.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

GRID = timedelta(minutes=15)

Window = tuple[time, time]  # local wall-clock [start, end)
Interval = tuple[datetime, datetime]  # UTC [start, end)


@dataclass(frozen=True)
class SlotRules:
    """How one tour type of one property can be booked."""

    time_zone: ZoneInfo
    duration: timedelta
    interval: timedelta
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)
    min_notice: timedelta = timedelta(0)
    horizon_days: int = 21
    capacity: int = 1
    opening: Mapping[int, Sequence[Window]] = field(default_factory=dict)  # weekday -> windows
    holidays: frozenset[date] = frozenset()


@dataclass(frozen=True)
class AgentSchedule:
    """One agent's weekly hours, dated overrides and busy time."""

    agent_id: int
    weekly: Mapping[int, Sequence[Window]] = field(default_factory=dict)
    time_off: Mapping[date, Sequence[Window | None]] = field(default_factory=dict)  # None: all day
    extra: Mapping[date, Sequence[Window]] = field(default_factory=dict)
    busy: Sequence[Interval] = ()


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    agent_ids: tuple[int, ...] = ()  # free agents, least preferred last
    remaining: int = 0  # self-guided places left


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime | None:
    """The UTC instant of a local wall-clock time, or None if it does not exist that day."""
    local = datetime.combine(day, at, tzinfo=tz)
    utc = local.astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None  # inside a spring-forward gap
    return utc


def window_interval(day: date, window: Window, tz: ZoneInfo) -> Interval | None:
    start = local_instant(day, window[0], tz)
    # A window that ends at midnight ends at the start of the next day.
    end = (
        local_instant(day + timedelta(days=1), time(0), tz)
        if window[1] == time(0)
        else local_instant(day, window[1], tz)
    )
    if start is None or end is None or start >= end:
        return None
    return start, end


def occupied(start: datetime, rules: SlotRules) -> Interval:
    """The agent's time a tour starting at ``start`` takes, buffers included."""
    return start - rules.buffer_before, start + rules.duration + rules.buffer_after


def grid_cells(interval: Interval) -> list[datetime]:
    """Every grid cell start (UTC, on the quarter hour) that ``interval`` touches."""
    start, end = interval
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    cell = epoch + ((start - epoch) // GRID) * GRID
    cells = []
    while cell < end:
        cells.append(cell)
        cell += GRID
    return cells


def candidate_starts(rules: SlotRules, day: date) -> list[datetime]:
    """Start times on the grid of ``day``'s opening windows (ignoring agents and notice)."""
    if day in rules.holidays:
        return []
    starts: set[datetime] = set()
    for window in rules.opening.get(day.weekday(), ()):
        interval = window_interval(day, window, rules.time_zone)
        if interval is None:
            continue
        start, end = interval
        while start + rules.duration <= end:
            starts.add(start)
            start += rules.interval
    return sorted(starts)


def agent_windows(agent: AgentSchedule, day: date, tz: ZoneInfo) -> list[Interval]:
    """The agent's working time on ``day`` after overrides, as UTC intervals."""
    off = agent.time_off.get(day, ())
    if None in off:
        windows: list[Window] = list(agent.extra.get(day, ()))
        off = ()
    else:
        windows = [*agent.weekly.get(day.weekday(), ()), *agent.extra.get(day, ())]
    intervals = [i for w in windows if (i := window_interval(day, w, tz))]
    for window in off:
        cut = window_interval(day, window, tz)
        if cut:
            intervals = [piece for i in intervals for piece in _subtract(i, cut)]
    return intervals


def _subtract(interval: Interval, cut: Interval) -> list[Interval]:
    start, end = interval
    if cut[1] <= start or cut[0] >= end:
        return [interval]
    return [(a, b) for a, b in ((start, cut[0]), (cut[1], end)) if a < b]


def _overlaps(a: Interval, b: Interval) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _inside(inner: Interval, outers: Iterable[Interval]) -> bool:
    return any(o[0] <= inner[0] and inner[1] <= o[1] for o in outers)


def bookable(start: datetime, rules: SlotRules, now: datetime) -> bool:
    """Respects minimum notice and the booking horizon (in local days)."""
    if start < now + rules.min_notice:
        return False
    last_day = now.astimezone(rules.time_zone).date() + timedelta(days=rules.horizon_days)
    return start.astimezone(rules.time_zone).date() <= last_day


def agent_slots(
    rules: SlotRules, day: date, agents: Sequence[AgentSchedule], now: datetime
) -> list[Slot]:
    """Agent-led slots of ``day``: each with the agents free for all of it, buffers included."""
    tz = rules.time_zone
    working = {a.agent_id: agent_windows(a, day, tz) for a in agents}
    slots = []
    for start in candidate_starts(rules, day):
        if not bookable(start, rules, now):
            continue
        tour = (start, start + rules.duration)
        taken = occupied(start, rules)
        free = tuple(
            a.agent_id
            for a in agents
            if _inside(tour, working[a.agent_id])
            and not any(_overlaps(taken, busy) for busy in a.busy)
        )
        if free:
            slots.append(Slot(start, tour[1], agent_ids=free))
    return slots


def capacity_slots(
    rules: SlotRules, day: date, booked: Mapping[datetime, int], now: datetime
) -> list[Slot]:
    """Self-guided slots of ``day`` with places left."""
    slots = []
    for start in candidate_starts(rules, day):
        remaining = rules.capacity - booked.get(start, 0)
        if remaining > 0 and bookable(start, rules, now):
            slots.append(Slot(start, start + rules.duration, remaining=remaining))
    return slots


def nearest(slots: Sequence[Slot], target: datetime, count: int = 3) -> list[Slot]:
    """The ``count`` slots closest in time to ``target``, in time order."""
    closest = sorted(slots, key=lambda s: (abs(s.start - target), s.start))[:count]
    return sorted(closest, key=lambda s: s.start)
