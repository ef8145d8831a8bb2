"""The demo's sales history: deterministic, idempotent, relative to the day, telling a story."""

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from portal.extensions import db
from portal.models import (
    ContactPreference,
    FollowupMessage,
    FollowupRun,
    OutboxEmail,
    PriorityVersion,
    Prospect,
    StageChange,
    Tour,
    TourCapture,
    TourStatusChange,
)
from portal.studio import followup_stats, funnel
from portal.studio.insights_query import InsightsQuery


def load_demo_history(today, **size):
    # Imported when called: importing it while the suite is collected changes what the
    # API schema fuzz test generates (tests/test_api_schema_fuzz.py, see the report).
    from portal.demo.history import load_demo_history as load

    return load(today, **size)


def _stories() -> list[tuple]:
    rows = db.session.execute(
        sa.select(Prospect.email, Prospect.stage, Tour.status, Tour.starts_at)
        .join(Tour, Tour.prospect_id == Prospect.id)
        .where(Prospect.email.like("history-%"))
        .order_by(Prospect.email)
    )
    return [tuple(r) for r in rows]


def test_history_is_loaded_once_and_lies_in_the_past(demo):
    """The demo fixture's history: a second load adds nothing; every tour held is in the past."""
    before = _stories()
    assert len(before) == 40
    assert load_demo_history(date(2026, 11, 23)) == 0
    assert _stories() == before
    start = datetime.combine(date(2026, 11, 23), time(6), UTC)
    changes = db.session.scalars(sa.select(StageChange.at))
    assert all(at <= start for at in changes)
    # Over and older than the agents' "recent" list: no history tour holds future time.
    assert all(starts < start - timedelta(days=2) for *_, starts in before)


def test_history_is_the_same_on_every_machine_shifted_to_the_day(app, demo):
    """Same seed, same story: loaded a week later, the same prospects and outcomes."""
    first = [(email, stage, status) for email, stage, status, _ in _stories()]
    for model in (
        FollowupMessage,
        FollowupRun,
        StageChange,
        TourStatusChange,
        TourCapture,
        Tour,
        PriorityVersion,
        ContactPreference,
        OutboxEmail,
    ):
        db.session.execute(sa.delete(model))
    db.session.execute(sa.delete(Prospect).where(Prospect.email.like("history-%")))
    assert load_demo_history(date(2026, 11, 30), prospects=40) == 40
    assert [(e, s, st) for e, s, st, _ in _stories()] == first


def test_the_history_tells_a_story(demo):
    """On the history the insights show leads, tours held, applications and leases."""
    now = datetime.combine(date(2026, 11, 23), time(6), UTC)
    total = funnel.total(funnel.funnel(InsightsQuery.last_days(now, 365)))
    # Every history prospect is a lead; the follow-ups demo adds its own toured prospect.
    assert total.leads >= 40
    assert total.leads > total.toured > total.applied >= total.leased > 0


def test_the_history_s_follow_ups_are_plan_messages_the_insights_count(demo):
    """The demo's follow-ups are its plans' messages, delivered: the insights list them."""
    now = datetime.combine(date(2026, 11, 23), time(6), UTC)
    rows = followup_stats.follow_ups(InsightsQuery.last_days(now, 365))
    assert "After a tour: recap" in {r.kind for r in rows}
    assert sum(r.sent for r in rows) > 0
