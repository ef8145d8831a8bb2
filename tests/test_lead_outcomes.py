"""The per-lead outcome table stays equal to a from-scratch recomputation after every change."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import LeadOutcome, LeadTopic, OutboxEmail, Tour, TourCapture
from portal.prospects.lifecycle import set_stage
from portal.prospects.priorities import record_priorities
from portal.studio.lead_outcomes import compute
from portal.tours.booking import record_status
from portal.tours.outcomes import record_outcome
from tests.insights_data import NOW, build_world

H = timedelta(hours=1)
D = timedelta(days=1)


@pytest.fixture
def world(app):
    return build_world()


def _rows(table) -> list[dict]:
    key = [c for c in table.primary_key.columns]
    return [dict(r._mapping) for r in db.session.execute(sa.select(table).order_by(*key))]


def maintained() -> tuple[list, list]:
    db.session.flush()
    return _rows(LeadOutcome.__table__), _rows(LeadTopic.__table__)


def recomputed() -> tuple[list, list]:
    outcomes, topics = compute(db.session.connection())

    def by_key(rows, *names):
        return sorted(rows, key=lambda r: tuple(r[n] for n in names))

    return (
        by_key(outcomes, "prospect_id", "property_id"),
        by_key(topics, "prospect_id", "property_id", "kind", "topic"),
    )


def lead(world, who, prop) -> dict:
    pid = world.people[who].id
    return next(
        r
        for r in _rows(LeadOutcome.__table__)
        if (r["prospect_id"], r["property_id"]) == (pid, prop.id)
    )


def test_the_constructed_history_is_what_a_rebuild_gives(world):
    """Built through the session, the table already equals the recomputation."""
    outcomes, topics = maintained()
    assert len(outcomes) == 8  # p7 is a lead at both communities
    assert (outcomes, topics) == recomputed()


def _new_booking(world):
    t = world.tours["t5"]
    db.session.add(
        Tour(
            token="b" * 32,
            uid="new-booking@test",
            property_id=world.beta.id,
            tour_type_id=world.types[world.beta.id].id,
            agent_id=world.two.id,
            prospect_id=t.prospect_id,
            starts_at=NOW + 3 * D,
            ends_at=NOW + 3 * D + H,
            status="confirmed",
            name="x",
            email=t.email,
            created_at=NOW - D,
        )
    )


def _tour_held(world):
    t5 = world.tours["t5"]
    record_outcome(t5, "completed", now=t5.starts_at + H, actor=f"staff:{world.one.id}")


def _applied(world):
    set_stage(world.people["p4"], "applied", reason=None, actor="staff:1", now=NOW - D)


def _leased(world):
    set_stage(world.people["p2"], "leased", reason=None, actor="staff:1", now=NOW - D)


def _lost(world):
    set_stage(world.people["p5"], "lost", reason="Bought a house", actor="staff:1", now=NOW)


def _staff_step(world):
    record_status(world.tours["t5"], "confirmed", f"staff:{world.one.id}")


def _follow_up_email(world):
    db.session.add(
        OutboxEmail(
            kind="followup_nudge",
            to_address=world.people["p5"].email,
            subject="Hi",
            text_body="Hi",
            status="queued",
        )
    )


def _priorities(world):
    record_priorities(
        {"importance": {"parking": "must_have"}},
        source="agent",
        prospect=world.people["p3"],
        now=NOW,
    )


def _objections(world):
    capture = db.session.scalar(
        sa.select(TourCapture).where(TourCapture.tour_id == world.tours["t1"].id)
    )
    capture.objections = ["parking", "size"]


def _source(world):
    world.people["p4"].first_touch = {"utm_source": "instagram"}


def _reassigned(world):
    world.tours["t5"].agent_id = world.two.id


def _booking_deleted(world):
    db.session.delete(world.tours["t2a"])  # p2's lead becomes their rebooking


CHANGES = {
    "a new booking": _new_booking,
    "a tour held": _tour_held,
    "an application": _applied,
    "a lease": _leased,
    "a prospect lost": _lost,
    "a staff step": _staff_step,
    "a follow-up email": _follow_up_email,
    "new priorities": _priorities,
    "objections edited": _objections,
    "a new first-touch source": _source,
    "an agent reassigned": _reassigned,
    "a booking deleted": _booking_deleted,
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_every_kind_of_change_keeps_the_table_equal_to_a_rebuild(world, change):
    """The flush that carries a change rewrites the prospect's rows as a rebuild would."""
    before = maintained()
    change(world)
    after = maintained()
    assert after != before
    assert after == recomputed()


def test_outcomes_are_the_first_instants(world):
    """A row holds the first tour held, the attributed application and lease, the response."""
    p1 = lead(world, "p1", world.alpha)
    assert p1["lead_at"] == NOW - 60 * D
    assert p1["toured_at"] == NOW - 58 * D
    assert (p1["applied_at"], p1["leased_at"]) == (NOW - 50 * D, NOW - 40 * D)
    assert p1["responded_at"] == NOW - 60 * D + 2 * H
    assert (p1["first_source"], p1["last_source"]) == ("google", "retargeting")
    p7_alpha = lead(world, "p7", world.alpha)
    assert p7_alpha["toured_at"] is not None
    assert p7_alpha["applied_at"] is None  # applied after touring Beta: Beta's


def test_a_rolled_back_change_leaves_the_table_as_it_was(world):
    """The rows change in the same transaction as the facts, so they roll back with them."""
    before = maintained()
    nested = db.session.begin_nested()
    _lost(world)
    assert maintained() != before
    nested.rollback()
    assert maintained() == before == recomputed()


def test_rebuild_repairs_rows_written_around_the_session(world, runner):
    """A bulk insert that bypassed the session is caught up by ``flask insights rebuild``."""
    db.session.execute(
        sa.update(Tour).where(Tour.id == world.tours["t5"].id).values(status="completed")
    )
    db.session.commit()
    assert maintained() != recomputed()
    result = runner.invoke(args=["insights", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "8 leads recomputed" in result.output
    assert maintained() == recomputed()
