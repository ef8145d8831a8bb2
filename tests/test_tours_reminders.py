"""Reminders: planned with the booking, superseded or cancelled with it, claimed once."""

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import TourReminder
from portal.models.base import utcnow
from portal.tours import reminders
from portal.tours.booking import Contact, book_tour, cancel_tour, reschedule_tour
from portal.tours.tour_settings import TourSettings
from tests.factories import gen_agent, gen_tour_type, gen_unit
from tests.tours_helpers import emails, local_slot

SETTINGS = TourSettings()


@pytest.fixture
def tour_type(app):
    unit = gen_unit()
    tour_type = gen_tour_type(unit.property, "guided", horizon_days=30)
    gen_agent(unit.property)
    db.session.commit()
    return tour_type


def _book(tour_type, start, now=None):
    tour, _ = book_tour(
        tour_type, start, Contact("Pia", "pia@example.com"), now=now or utcnow(), settings=SETTINGS
    )
    db.session.commit()
    return tour


def _reminders(tour):
    return {
        r.kind: r
        for r in db.session.scalars(sa.select(TourReminder).where(TourReminder.tour_id == tour.id))
    }


def test_booking_plans_one_reminder_per_kind(tour_type):
    """A booking plans a pending 24-hour and 1-hour reminder."""
    start = local_slot(3)
    tour = _book(tour_type, start)
    planned = _reminders(tour)
    assert set(planned) == {"1440m", "60m"}
    assert planned["1440m"].due_at == start - timedelta(days=1)
    assert {r.status for r in planned.values()} == {"pending"}


def test_reminders_already_in_the_past_are_skipped(tour_type):
    """Booked 3 hours ahead: the 24-hour reminder is skipped, not sent late."""
    start = local_slot(1, time(12))
    tour = _book(tour_type, start, now=start - timedelta(hours=3))
    planned = _reminders(tour)
    assert planned["1440m"].status == "skipped"
    assert planned["60m"].status == "pending"
    assert reminders.send_due(start - timedelta(hours=2, minutes=59), SETTINGS)["sent"] == 0


def test_due_reminder_is_sent_once(tour_type):
    """Two senders at the same moment: the reminder email is queued exactly once."""
    start = local_slot(3)
    tour = _book(tour_type, start)
    at = start - timedelta(hours=23)
    assert reminders.send_due(at, SETTINGS) == {"sent": 1, "skipped": 0}
    assert reminders.send_due(at, SETTINGS) == {"sent": 0, "skipped": 0}
    [email] = emails("tour_reminder")
    assert email.to_address == "pia@example.com"
    assert _reminders(tour)["1440m"].status == "sent"


def test_cancel_cancels_pending_reminders(tour_type):
    """After a cancel no reminder is sent, even when due."""
    start = local_slot(3)
    tour = _book(tour_type, start)
    cancel_tour(tour, now=utcnow())
    db.session.commit()
    assert reminders.send_due(start, SETTINGS)["sent"] == 0
    assert {r.status for r in _reminders(tour).values()} == {"cancelled"}
    assert emails("tour_reminder") == []


def test_reschedule_supersedes_reminders(tour_type):
    """After a move, the old reminder time sends nothing; the new one sends once."""
    start = local_slot(3)
    tour = _book(tour_type, start)
    later = local_slot(6)
    reschedule_tour(tour, later, now=utcnow(), settings=SETTINGS)
    db.session.commit()
    assert reminders.send_due(start - timedelta(minutes=30), SETTINGS)["sent"] == 0
    assert reminders.send_due(later - timedelta(minutes=30), SETTINGS)["sent"] == 2
    assert len(emails("tour_reminder")) == 2


def test_self_guided_code_is_only_in_the_last_reminder(app):
    """The door code goes out with the 1-hour reminder, never earlier."""
    unit = gen_unit()
    tour_type = gen_tour_type(unit.property, "self_guided", capacity=2)
    db.session.commit()
    start = local_slot(3)
    tour = _book(tour_type, start)
    reminders.send_due(start - timedelta(hours=23), SETTINGS)
    reminders.send_due(start - timedelta(minutes=59), SETTINGS)
    first, last = emails("tour_reminder")
    assert tour.access_code not in first.text_body
    assert tour.access_code in last.text_body


def test_cli_sends_due_reminders(app, runner, tour_type):
    """`flask tours send-reminders` queues what is due (for cron)."""
    start = local_slot(3)
    _book(tour_type, start)
    at = (start - timedelta(hours=23)).isoformat()
    result = runner.invoke(args=["tours", "send-reminders", "--now", at])
    assert result.exit_code == 0, result.output
    assert "1 sent" in result.output
    assert len(emails("tour_reminder")) == 1
