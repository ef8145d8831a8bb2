"""A simulated month of passes: quiet hours, caps, pause, channel and unsubscribe hold."""

from collections import Counter
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from portal.extensions import db
from portal.followups.dispatch import sync_outbox
from portal.followups.worker import run_pass
from portal.models import ContactPreference, FollowupMessage, OutboxEmail
from portal.prospects.preferences import unsubscribe
from portal.prospects.priorities import record_priorities
from tests.factories import gen_prospect
from tests.followups_helpers import TOUR_END, complete, gen_community, gen_tour

HELSINKI = ZoneInfo("Europe/Helsinki")


def _accept_outbox(now):
    """Stand-in for the SMTP server: every queued email is accepted at once."""
    db.session.execute(
        sa.update(OutboxEmail)
        .where(OutboxEmail.status == "queued")
        .values(status="sent", sent_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _simulate(days: int, hours_step: int = 1, on_day=None):
    moment = TOUR_END
    end = TOUR_END + timedelta(days=days)
    while moment < end:
        if on_day is not None:
            on_day(moment)
        run_pass(moment.isoformat(), deliver=False)
        _accept_outbox(moment)
        sync_outbox()  # what the server accepted is sent
        db.session.commit()
        moment += timedelta(hours=hours_step)


def _two_plans_at_once(paused_until=None, pace="any"):
    """One prospect toured two communities the same afternoon: two plans run side by side."""
    prospect = gen_prospect()
    db.session.add(
        ContactPreference(
            prospect_id=prospect.id, channel="email", pace=pace, paused_until=paused_until
        )
    )
    record_priorities(
        {"importance": {"internet": "must_have", "pets": "important", "parking": "nice"}},
        source="prospect",
        prospect=prospect,
    )
    for _ in range(2):
        _, unit, tour_type = gen_community()
        complete(gen_tour(tour_type, prospect, unit=unit))
    db.session.commit()
    return prospect


def _sent(prospect) -> list:
    return list(
        db.session.scalars(
            sa.select(FollowupMessage.sent_at)
            .where(FollowupMessage.prospect_id == prospect.id, FollowupMessage.status == "sent")
            .order_by(FollowupMessage.sent_at)
        )
    )


def test_a_month_of_two_plans_respects_quiet_hours_and_the_caps(app):
    """Never in quiet hours, at most one a day and three in any rolling week, nothing lost."""
    prospect = _two_plans_at_once()
    _simulate(30)
    sent = _sent(prospect)
    assert len(sent) >= 6
    for moment in sent:
        local = moment.astimezone(HELSINKI).time()
        assert local.hour >= 9
        assert local.hour < 20
    per_day = Counter(m.astimezone(HELSINKI).date() for m in sent)
    assert max(per_day.values()) == 1
    for moment in sent:
        assert sum(1 for m in sent if moment - timedelta(days=7) < m <= moment) <= 3
    statuses = Counter(
        db.session.scalars(
            sa.select(FollowupMessage.status).where(FollowupMessage.prospect_id == prospect.id)
        )
    )
    assert set(statuses) <= {"sent", "skipped"}


def test_a_pause_holds_everything_back_until_it_ends(app):
    """Paused for the first ten days: nothing goes before, the plans resume after."""
    prospect = _two_plans_at_once(paused_until=date(2026, 12, 3))
    _simulate(30)
    sent = _sent(prospect)
    assert sent
    assert all(m.astimezone(HELSINKI).date() > date(2026, 12, 3) for m in sent)


def test_a_weekly_pace_sends_at_most_one_message_a_week(app):
    """Weekly: any two follow-ups are at least seven days apart, across both plans."""
    prospect = _two_plans_at_once(pace="weekly")
    _simulate(30)
    sent = _sent(prospect)
    assert len(sent) >= 3
    assert all(b - a >= timedelta(days=7) for a, b in zip(sent, sent[1:], strict=False))


def test_unsubscribing_mid_month_stops_every_plan(app):
    """After the unsubscribe nothing more is sent, and what was planned is skipped."""
    prospect = _two_plans_at_once()
    stop_at = TOUR_END + timedelta(days=4)

    def maybe_unsubscribe(moment):
        if moment == stop_at:
            unsubscribe(prospect, now=moment)
            db.session.commit()

    _simulate(20, on_day=maybe_unsubscribe)
    sent = _sent(prospect)
    assert sent
    assert all(m < stop_at for m in sent)
    pending = db.session.scalars(
        sa.select(FollowupMessage).where(
            FollowupMessage.prospect_id == prospect.id,
            FollowupMessage.status.in_(("scheduled", "awaiting_review", "sending")),
        )
    ).all()
    assert pending == []
