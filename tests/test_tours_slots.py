"""Slot generation: hours, overrides, buffers, notice, horizon, capacity, DST days."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.tours.slots import (
    AgentSchedule,
    SlotRules,
    agent_slots,
    agent_windows,
    candidate_starts,
    capacity_slots,
    grid_cells,
    nearest,
    occupied,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
NEW_YORK = ZoneInfo("America/New_York")
MONDAY = date(2026, 11, 30)
EARLY = datetime(2025, 1, 1, tzinfo=UTC)  # long before every day tested
NINE_TO_FIVE = {d: [(time(9), time(17))] for d in range(7)}


def rules(**fields) -> SlotRules:
    values = {
        "time_zone": HELSINKI,
        "duration": timedelta(minutes=30),
        "interval": timedelta(minutes=30),
        "opening": NINE_TO_FIVE,
        "horizon_days": 2000,
    }
    values.update(fields)
    return SlotRules(**values)


def local(day: date, hour: int, minute: int = 0, tz=HELSINKI) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz).astimezone(UTC)


def hours(slots, tz=HELSINKI) -> list[str]:
    return [f"{s.start.astimezone(tz):%H:%M}" for s in slots]


def agent(agent_id=1, **fields) -> AgentSchedule:
    return AgentSchedule(agent_id, weekly=fields.pop("weekly", NINE_TO_FIVE), **fields)


def test_slots_fill_opening_hours_on_the_interval():
    """9-17 with 30-minute tours every 30 minutes: 16 starts, the last at 16:30."""
    starts = candidate_starts(rules(), MONDAY)
    assert len(starts) == 16
    assert starts[0] == local(MONDAY, 9)
    assert starts[-1] == local(MONDAY, 16, 30)


def test_closed_days_and_holidays_have_no_slots():
    """Days without opening hours and holidays offer no start times."""
    weekdays_only = {d: [(time(9), time(17))] for d in range(5)}
    assert candidate_starts(rules(opening=weekdays_only), MONDAY + timedelta(days=5)) == []
    assert candidate_starts(rules(holidays=frozenset({MONDAY})), MONDAY) == []


def test_slots_need_a_free_agent_in_working_hours():
    """The agent works 12-14: only slots inside that window are offered."""
    slots = agent_slots(rules(), MONDAY, [agent(weekly={0: [(time(12), time(14))]})], EARLY)
    assert hours(slots) == ["12:00", "12:30", "13:00", "13:30"]


def test_time_off_and_extra_hours_override_the_week():
    """Time off removes hours; extra hours add them, even on a day off."""
    off = agent(time_off={MONDAY: [(time(9), time(16))]})
    assert hours(agent_slots(rules(), MONDAY, [off], EARLY)) == ["16:00", "16:30"]
    whole_day = agent(time_off={MONDAY: [None]}, extra={MONDAY: [(time(10), time(11))]})
    assert hours(agent_slots(rules(), MONDAY, [whole_day], EARLY)) == ["10:00", "10:30"]


def test_buffers_keep_slots_away_from_busy_time():
    """A busy 12:00-12:30 with 15-minute buffers blocks every slot whose buffer touches it."""
    busy = (local(MONDAY, 12), local(MONDAY, 12, 30))
    r = rules(buffer_before=timedelta(minutes=15), buffer_after=timedelta(minutes=15))
    offered = hours(agent_slots(r, MONDAY, [agent(busy=[busy])], EARLY))
    assert "11:30" not in offered  # its after-buffer runs into 12:00
    assert "12:00" not in offered
    assert "12:30" not in offered  # its before-buffer starts at 12:15
    assert "11:00" in offered
    assert "13:00" in offered


def test_minimum_notice_and_horizon():
    """Nothing sooner than the notice, nothing beyond the horizon."""
    now = local(MONDAY, 10, 5)
    r = rules(min_notice=timedelta(hours=2), horizon_days=1)
    assert hours(agent_slots(r, MONDAY, [agent()], now))[0] == "12:30"
    assert agent_slots(r, MONDAY + timedelta(days=1), [agent()], now)
    assert agent_slots(r, MONDAY + timedelta(days=2), [agent()], now) == []


def test_self_guided_capacity_counts_down():
    """Self-guided slots show the places left and vanish when full."""
    start = local(MONDAY, 9)
    slots = capacity_slots(rules(capacity=2), MONDAY, {start: 1, local(MONDAY, 10): 2}, EARLY)
    assert slots[0].start == start
    assert slots[0].remaining == 1
    assert local(MONDAY, 10) not in [s.start for s in slots]


def test_agents_are_listed_in_the_given_preference_order():
    """A slot lists its free agents in the order they were given."""
    slots = agent_slots(rules(), MONDAY, [agent(7), agent(3)], EARLY)
    assert slots[0].agent_ids == (7, 3)


def test_nearest_alternatives_are_closest_in_time():
    """The alternatives offered are the three slots closest to the wanted time."""
    slots = agent_slots(rules(), MONDAY, [agent()], EARLY)
    picked = nearest(slots, local(MONDAY, 12, 10))
    assert hours(picked) == ["11:30", "12:00", "12:30"]


def test_grid_cells_cover_buffers():
    """A tour claims the grid cells of its buffers as well as its own."""
    r = rules(buffer_before=timedelta(minutes=15), buffer_after=timedelta(minutes=15))
    cells = grid_cells(occupied(local(MONDAY, 10), r))
    assert [f"{c.astimezone(HELSINKI):%H:%M}" for c in cells] == [
        "09:45",
        "10:00",
        "10:15",
        "10:30",
    ]


# DST: Europe/Helsinki moves 03:00 -> 04:00 on 29 March and 04:00 -> 03:00 on
# 25 October 2026; America/New_York 02:00 -> 03:00 on 8 March and back on 1 November.
DST_DAYS = [
    (HELSINKI, date(2026, 3, 29), 2),  # UTC+2 before, +3 after
    (HELSINKI, date(2026, 10, 25), 3),
    (NEW_YORK, date(2026, 3, 8), -5),
    (NEW_YORK, date(2026, 11, 1), -4),
]


@pytest.mark.parametrize(("tz", "day", "offset_before"), DST_DAYS)
@pytest.mark.parametrize("hour", [9, 15])
def test_dst_days_keep_wall_clock_times(tz, day, offset_before, hour):
    """On both DST days, morning and afternoon slots start at the advertised local time."""
    r = rules(time_zone=tz)
    slots = agent_slots(r, day, [agent()], EARLY)
    wanted = datetime.combine(day, time(hour), tzinfo=tz)
    match = [s for s in slots if s.start == wanted.astimezone(UTC)]
    assert match, f"no {hour}:00 slot on {day} in {tz}"
    assert match[0].start.astimezone(tz).hour == hour
    assert match[0].end - match[0].start == timedelta(minutes=30)
    # Every slot of the day is on the local half-hour: no afternoon shifted by an hour.
    assert {s.start.astimezone(tz).minute for s in slots} == {0, 30}
    assert len(slots) == 16
    # The offset really changed that night (the test day is a DST day).
    assert (datetime.combine(day, time(0), tzinfo=tz).utcoffset().total_seconds() / 3600) == (
        offset_before
    )


def test_night_window_across_a_dst_gap_is_an_hour_shorter():
    """00:00-06:00 on the spring-forward night holds five hours of tours, not six."""
    night = {6: [(time(0, 15), time(6))]}  # 29 March 2026 is a Sunday
    starts = candidate_starts(rules(opening=night, interval=timedelta(hours=1)), date(2026, 3, 29))
    assert len(starts) == 5
    assert all(s.astimezone(HELSINKI).hour != 3 for s in starts)


def test_agent_window_on_a_day_off_with_partial_time_off():
    """Partial time off cuts the agent's day into the hours before and after it."""
    windows = agent_windows(agent(time_off={MONDAY: [(time(12), time(13))]}), MONDAY, HELSINKI)
    assert windows == [
        (local(MONDAY, 9), local(MONDAY, 12)),
        (local(MONDAY, 13), local(MONDAY, 17)),
    ]


# Property-based invariants -------------------------------------------------------------

quarter_hours = st.integers(min_value=0, max_value=95).map(lambda q: time(q // 4, q % 4 * 15))


@st.composite
def windows(draw):
    a, b = sorted(draw(st.lists(quarter_hours, min_size=2, max_size=2, unique=True)))
    return (a, b)


@st.composite
def schedules(draw):
    day = draw(st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)))
    tz = draw(st.sampled_from([HELSINKI, NEW_YORK, ZoneInfo("UTC")]))
    weekly = {day.weekday(): draw(st.lists(windows(), max_size=2))}
    day_start = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    busy = [
        (day_start + timedelta(minutes=15 * a), day_start + timedelta(minutes=15 * (a + n)))
        for a, n in draw(st.lists(st.tuples(st.integers(0, 95), st.integers(1, 12)), max_size=4))
    ]
    r = rules(
        time_zone=tz,
        duration=timedelta(minutes=15 * draw(st.integers(1, 8))),
        interval=timedelta(minutes=15 * draw(st.integers(1, 4))),
        buffer_before=timedelta(minutes=15 * draw(st.integers(0, 2))),
        buffer_after=timedelta(minutes=15 * draw(st.integers(0, 2))),
        opening={day.weekday(): draw(st.lists(windows(), min_size=1, max_size=2))},
    )
    return r, day, AgentSchedule(1, weekly=weekly, busy=busy)


@settings(max_examples=300, deadline=None)
@given(schedules())
def test_no_slot_overlaps_busy_time_and_all_lie_in_working_hours(case):
    """Invariants: buffers included, no slot touches busy time; every slot is inside hours."""
    r, day, schedule = case
    working = agent_windows(schedule, day, r.time_zone)
    for slot in agent_slots(r, day, [schedule], EARLY):
        taken = occupied(slot.start, r)
        assert not any(taken[0] < b[1] and b[0] < taken[1] for b in schedule.busy)
        assert any(w[0] <= slot.start and slot.end <= w[1] for w in working)
        opening = [
            (
                datetime.combine(day, w[0], tzinfo=r.time_zone).astimezone(UTC),
                datetime.combine(day, w[1], tzinfo=r.time_zone).astimezone(UTC),
            )
            for w in r.opening[day.weekday()]
        ]
        assert any(o[0] <= slot.start and slot.end <= o[1] for o in opening)
        assert slot.end - slot.start == r.duration


@settings(max_examples=200, deadline=None)
@given(schedules())
def test_slot_cells_are_disjoint_from_busy_cells(case):
    """The cells a slot would claim never include a busy cell (what the database enforces)."""
    r, day, schedule = case
    busy_cells = {c for b in schedule.busy for c in grid_cells(b)}
    for slot in agent_slots(r, day, [schedule], EARLY):
        assert not busy_cells & set(grid_cells(occupied(slot.start, r)))
