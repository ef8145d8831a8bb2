"""record_capture and mark_no_show: one service for the form and the API, with its rules."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import PriorityVersion, StageChange, TourCapture, TourStatusChange
from portal.prospects.priorities import Priorities, current_priorities, record_priorities
from portal.tours.capture import CaptureConflict, CaptureInvalid, record_capture
from portal.tours.outcomes import mark_no_show
from tests.conftest import FIXED_NOW
from tests.factories import gen_unit
from tests.staff_helpers import gen_site

NOW = FIXED_NOW


def _answers(**changes) -> dict:
    data = {
        "units_shown": [],
        "interest_level": 4,
        "liked": "The light in the living room",
        "objections": ["price"],
        "objection_note": "",
        "next_step": "second_visit",
        "decide_by": None,
        "lost_reason": "",
        "notes": "Bikes to the university.",
        "priorities": None,
    }
    return data | changes


@pytest.fixture
def site(app):
    s = gen_site(starts_at=NOW - timedelta(hours=1))
    db.session.commit()
    return s


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_capture_completes_the_tour_and_moves_the_prospect_to_toured(site, heard):
    """A capture stores the form, a completed status change and the stage "toured"."""
    data = _answers(units_shown=[site.units[1].id, site.units[0].id])
    capture = record_capture(
        site.tour, site.agent, data, expected_version=site.tour.version, now=NOW
    )
    db.session.commit()
    assert capture.interest_level == 4
    assert capture.units_shown == sorted(u.id for u in site.units)
    assert capture.objections == ["price"]
    assert capture.staff_user_id == site.agent.id
    assert site.tour.status == "completed"
    change = site.tour.history[-1]
    assert (change.to_status, change.actor) == ("completed", f"staff:{site.agent.id}")
    assert site.prospect.stage == "toured"
    moves = db.session.scalars(sa.select(StageChange)).all()
    assert [(m.from_stage, m.to_stage, m.actor) for m in moves] == [
        ("lead", "toured", f"staff:{site.agent.id}")
    ]


def test_the_listener_hears_captured_once_per_capture(site, heard):
    """The follow-ups' entry point is called exactly once, with the capture, per capture."""
    capture = record_capture(
        site.tour, site.agent, _answers(), expected_version=site.tour.version, now=NOW
    )
    assert [(e.kind, e.capture, e.actor) for e in heard] == [
        ("captured", capture, f"staff:{site.agent.id}")
    ]
    record_capture(
        site.tour,
        site.agent,
        _answers(interest_level=5),
        expected_version=site.tour.version,
        now=NOW,
    )
    assert [e.kind for e in heard] == ["captured", "captured"]


def test_priorities_learned_in_person_are_an_agent_version(site):
    """Priorities told on the tour become a new version with source agent and the agent."""
    record_priorities(
        {"importance": {"parks": "nice"}},
        source="prospect",
        prospect=site.prospect,
        now=NOW - timedelta(days=1),
    )
    learned = Priorities(importance={"parks": "must_have", "internet": "important"}, bedrooms=2)
    record_capture(
        site.tour,
        site.agent,
        _answers(priorities=learned),
        expected_version=site.tour.version,
        now=NOW,
    )
    db.session.commit()
    latest = db.session.scalars(
        sa.select(PriorityVersion).order_by(PriorityVersion.id.desc())
    ).first()
    assert (latest.source, latest.staff_user_id) == ("agent", site.agent.id)
    assert current_priorities(site.prospect) == learned
    assert _count(PriorityVersion) == 2  # the prospect's own version is kept


def test_unchanged_priorities_add_no_version(site):
    """Sending the current answers back stores no new version."""
    record_priorities(
        {"importance": {"parks": "nice"}},
        source="prospect",
        prospect=site.prospect,
        now=NOW - timedelta(days=1),
    )
    record_capture(
        site.tour,
        site.agent,
        _answers(priorities=current_priorities(site.prospect)),
        expected_version=site.tour.version,
        now=NOW,
    )
    assert _count(PriorityVersion) == 1


@pytest.mark.parametrize(
    ("next_step", "extra", "stage"),
    [
        ("apply", {}, "applied"),
        ("lost", {"lost_reason": "Chose a place nearer work"}, "lost"),
        ("second_visit", {}, "toured"),
        ("decide_by", {"decide_by": date(2026, 12, 4)}, "toured"),
    ],
)
def test_the_next_step_sets_the_stage(site, next_step, extra, stage):
    """apply → applied, lost → lost with the reason, the others stay toured."""
    record_capture(
        site.tour,
        site.agent,
        _answers(next_step=next_step, **extra),
        expected_version=site.tour.version,
        now=NOW,
    )
    assert site.prospect.stage == stage
    if stage == "lost":
        assert site.prospect.lost_reason == "Chose a place nearer work"


def test_a_stale_version_is_a_conflict_that_stores_nothing(site, heard):
    """A form built from an older version conflicts and shows the current version."""
    old = site.tour.version
    site.tour.phone = "+358401234567"  # someone else's edit meanwhile
    db.session.commit()
    with pytest.raises(CaptureConflict) as caught:
        record_capture(site.tour, site.agent, _answers(), expected_version=old, now=NOW)
    assert caught.value.current_version == site.tour.version != old
    db.session.rollback()
    assert _count(TourCapture) == 0
    assert site.tour.status == "confirmed"
    assert heard == []


def test_a_second_capture_with_the_first_version_conflicts(site):
    """Two agents with the same form: the second one's save conflicts."""
    seen = site.tour.version
    record_capture(site.tour, site.agent, _answers(), expected_version=seen, now=NOW)
    db.session.commit()
    with pytest.raises(CaptureConflict):
        record_capture(
            site.tour, site.agent, _answers(interest_level=1), expected_version=seen, now=NOW
        )
    db.session.rollback()
    assert db.session.scalar(sa.select(TourCapture.interest_level)) == 4


@pytest.mark.parametrize(
    "status", ["cancelled_by_prospect", "cancelled_by_staff", "no_show", "expired"]
)
def test_closed_tours_conflict(app, status, heard):
    """A cancelled, expired or no-show tour cannot be captured."""
    site = gen_site(starts_at=NOW - timedelta(hours=1), status=status)
    with pytest.raises(CaptureConflict) as caught:
        record_capture(
            site.tour, site.agent, _answers(), expected_version=site.tour.version, now=NOW
        )
    assert caught.value.status == status
    assert _count(TourCapture) == 0
    assert heard == []


def test_a_future_tour_cannot_be_captured(app):
    """Before the tour (and its check-in window) nothing can be recorded."""
    site = gen_site(starts_at=NOW + timedelta(hours=3))
    with pytest.raises(CaptureConflict):
        record_capture(
            site.tour, site.agent, _answers(), expected_version=site.tour.version, now=NOW
        )


BAD = [
    ({"interest_level": None}, "interest_level"),
    ({"interest_level": 0}, "interest_level"),
    ({"interest_level": 6}, "interest_level"),
    ({"interest_level": True}, "interest_level"),
    ({"interest_level": "4"}, "interest_level"),
    ({"objections": ["rent"]}, "objections"),
    ({"objections": "price"}, "objections"),
    ({"objections": ["other"]}, "objection_note"),
    ({"next_step": "lost"}, "lost_reason"),
    ({"next_step": "lost", "lost_reason": "   "}, "lost_reason"),
    ({"next_step": "decide_by"}, "decide_by"),
    ({"next_step": "decide_by", "decide_by": "next week"}, "decide_by"),
    ({"next_step": "decide_by", "decide_by": "2026-11-01"}, "decide_by"),
    ({"next_step": "move_in"}, "next_step"),
    ({"next_step": None}, "next_step"),
    ({"units_shown": ["a"]}, "units_shown"),
    ({"liked": "x" * 1001}, "liked"),
    ({"notes": "bad\x00byte"}, "notes"),
    ({"lost_reason": 5, "next_step": "lost"}, "lost_reason"),
    ({"priorities": {"budget_min": -1}}, "priorities.budget_min"),
    ({"priorities": {"importance": {"moon": "nice"}}}, "priorities.moon"),
    ({"priorities": "lots"}, "priorities"),
    ({"mood": "happy"}, "mood"),
]


@pytest.mark.parametrize(("change", "field"), BAD)
def test_bad_input_names_the_field_and_stores_nothing(site, heard, change, field):
    """Every bad answer is refused by name; no capture, status, version, stage or event."""
    with pytest.raises(CaptureInvalid) as caught:
        record_capture(
            site.tour, site.agent, _answers(**change), expected_version=site.tour.version, now=NOW
        )
    assert field in caught.value.fields
    db.session.rollback()
    assert _count(TourCapture) == 0
    assert _count(PriorityVersion) == 0
    assert _count(StageChange) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TourStatusChange)) == 1
    assert site.prospect.stage == "lead"
    assert heard == []


def test_a_unit_of_another_community_is_refused(site):
    """Units shown must belong to the tour's community."""
    elsewhere = gen_unit()
    with pytest.raises(CaptureInvalid) as caught:
        record_capture(
            site.tour,
            site.agent,
            _answers(units_shown=[site.units[0].id, elsewhere.id]),
            expected_version=site.tour.version,
            now=NOW,
        )
    assert "units_shown" in caught.value.fields


def test_no_show_marks_the_tour_and_publishes(site, heard):
    """A no-show is a status change by the agent and a "no_show" event; stage unchanged."""
    mark_no_show(site.tour, site.agent, site.tour.version, NOW)
    db.session.commit()
    assert site.tour.status == "no_show"
    assert [e.kind for e in heard] == ["no_show"]
    assert site.prospect.stage == "lead"


def test_no_show_refuses_a_checked_in_or_stale_tour(site):
    """A visitor who was checked in is no no-show; a stale version conflicts."""
    with pytest.raises(CaptureConflict):
        mark_no_show(site.tour, site.agent, site.tour.version + 1, NOW)
    site.tour.checked_in_at = NOW - timedelta(minutes=50)
    db.session.commit()
    with pytest.raises(CaptureConflict):
        mark_no_show(site.tour, site.agent, site.tour.version, NOW)
    assert site.tour.status == "confirmed"
