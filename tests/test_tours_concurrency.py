"""Many visitors, one slot: the database lets exactly one of them have it.

Real threads with their own sessions and connections, against SQLite (WAL, busy
timeout) or PostgreSQL when the suite runs there.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import SlotCapacity, SlotClaim, Tour, TourType
from portal.models.base import utcnow
from portal.tours.assignment import reassign_tour
from portal.tours.booking import Contact, book_tour
from portal.tours.booking_errors import BookingError, SlotTaken
from portal.tours.tour_settings import TourSettings
from portal.tours.transaction import commit_booking
from tests.factories import gen_agent, gen_tour_type, gen_unit
from tests.tours_helpers import local_slot

THREADS = 8


def _race(app, tour_type_id: int, start, *, same_key: bool = False) -> list[str]:
    """Book the same start from THREADS threads at once; returns each thread's outcome."""
    barrier = threading.Barrier(THREADS)

    def attempt(n: int) -> str:
        with app.app_context():
            try:
                tour_type = db.session.get(TourType, tour_type_id)
                # A double submit sends the same request twice; distinct visitors differ.
                who = 0 if same_key else n
                contact = Contact(name=f"Visitor {who}", email=f"visitor{who}@example.com")
                barrier.wait(timeout=30)
                commit_booking(
                    lambda: book_tour(
                        tour_type,
                        start,
                        contact,
                        now=utcnow(),
                        settings=TourSettings(),
                        idempotency_key="one-double-click-key" if same_key else None,
                    )
                )
                return "booked"
            except SlotTaken:
                return "taken"
            finally:
                db.session.remove()

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(attempt, range(THREADS)))


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def guided(app):
    unit = gen_unit()
    tour_type = gen_tour_type(unit.property, "guided", buffer_after_minutes=15)
    gen_agent(unit.property)
    db.session.commit()
    return tour_type


def test_one_agent_one_slot_exactly_one_winner(app, guided):
    """Eight simultaneous bookings of the only agent's slot: one tour, seven clean 'taken'."""
    outcomes = _race(app, guided.id, local_slot(3))
    assert sorted(outcomes) == ["booked"] + ["taken"] * (THREADS - 1)
    assert _count(Tour) == 1
    assert _count(SlotClaim) == 3  # 30 minutes + 15 minutes buffer on a 15-minute grid


def test_two_agents_one_slot_exactly_two_winners(app, guided):
    """With two free agents the same time goes twice, once to each agent."""
    gen_agent(guided.property)
    db.session.commit()
    outcomes = _race(app, guided.id, local_slot(3))
    assert outcomes.count("booked") == 2
    agents = db.session.scalars(sa.select(Tour.agent_id)).all()
    assert len(set(agents)) == 2


def test_self_guided_capacity_is_never_exceeded(app):
    """Eight parties racing for a self-guided slot with capacity 3: exactly three get in."""
    unit = gen_unit()
    tour_type = gen_tour_type(unit.property, "self_guided", capacity=3)
    db.session.commit()
    start = local_slot(3)
    outcomes = _race(app, tour_type.id, start)
    assert outcomes.count("booked") == 3
    assert _count(Tour) == 3
    assert db.session.scalar(sa.select(SlotCapacity.booked)) == 3


def test_concurrent_double_submit_creates_one_tour(app, guided):
    """The same idempotency key from many threads at once still makes one tour."""
    outcomes = _race(app, guided.id, local_slot(3), same_key=True)
    assert outcomes == ["booked"] * THREADS  # every retry is answered with the same tour
    assert _count(Tour) == 1


def test_overlapping_tours_of_one_agent_cannot_both_commit(app, guided):
    """A tour overlapping another's buffer is refused even if a check was skipped."""
    from datetime import timedelta

    from sqlalchemy.exc import IntegrityError

    from portal.tours import claims
    from portal.tours.free_slots import rules_for

    start = local_slot(3)
    tour, _ = book_tour(
        guided,
        start,
        Contact("A", "a@example.com"),
        now=utcnow(),
        settings=TourSettings(),
    )
    db.session.commit()
    clash = Tour(**{c: getattr(tour, c) for c in ("property_id", "tour_type_id", "prospect_id")})
    clash.token, clash.uid, clash.status = "x" * 22, "clash@doorstep", "confirmed"
    clash.name, clash.email = "B", "b@example.com"
    clash.starts_at = start + timedelta(minutes=30)  # inside A's 15-minute buffer
    clash.ends_at = clash.starts_at + timedelta(minutes=30)
    db.session.add(clash)
    db.session.flush()
    shifted = rules_for(guided)
    with pytest.raises(IntegrityError):
        claims.claim_agent_time(clash, tour.agent_id, shifted)
    db.session.rollback()


def test_reassign_into_a_busy_agent_is_refused(app, guided):
    """Reassigning a tour onto an agent who has another tour then fails cleanly."""
    second = gen_agent(guided.property)
    db.session.commit()
    start = local_slot(3)
    settings = TourSettings()
    first, _ = book_tour(
        guided, start, Contact("A", "a@example.com"), now=utcnow(), settings=settings
    )
    other, _ = book_tour(
        guided, start, Contact("B", "b@example.com"), now=utcnow(), settings=settings
    )
    db.session.commit()
    assert {first.agent_id, other.agent_id} == {first.agent_id, second.id}
    with pytest.raises(BookingError, match="another tour"):
        commit_booking(
            lambda: reassign_tour(first, other.agent_id, now=utcnow(), actor="staff:test")
        )
    db.session.refresh(first)
    assert first.agent_id != other.agent_id


def test_twin_committing_between_key_check_and_slot_check_returns_its_tour(
    app, guided, monkeypatch
):
    """A double submit whose twin commits mid-way gets the twin's tour, not 'taken'."""
    from portal.tours import booking

    start = local_slot(3)
    key = "double-click-twin-0001"
    first, _ = book_tour(
        guided,
        start,
        Contact("A", "a@example.com"),
        now=utcnow(),
        settings=TourSettings(),
        idempotency_key=key,
    )
    db.session.commit()
    real, calls = booking._tour_with_key, []

    def first_look_misses(request_key):
        calls.append(request_key)
        return None if len(calls) == 1 else real(request_key)

    monkeypatch.setattr(booking, "_tour_with_key", first_look_misses)
    again, created = book_tour(
        guided,
        start,
        Contact("A", "a@example.com"),
        now=utcnow(),
        settings=TourSettings(),
        idempotency_key=key,
    )
    assert (again.id, created) == (first.id, False)
    assert len(calls) == 2
