"""Contact preferences bind every later message: a dummy sender asks before each one."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.mail.outbox import unsubscribe_headers
from portal.models import TourReminder
from portal.prospects.preferences import (
    InvalidPreferences,
    may_contact,
    preferences_of,
    unsubscribe,
    unsubscribe_token,
    update_preferences,
)
from portal.tours import reminders
from portal.tours.booking import Contact, book_tour
from portal.tours.tour_settings import TourSettings
from tests.factories import gen_agent, gen_prospect, gen_tour_type, gen_unit
from tests.prospect_session import sign_in
from tests.tours_helpers import emails

pytestmark = pytest.mark.usefixtures("app")

# Tuesday 1 December 2026, 12:00 in Helsinki (UTC+2).
NOON = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@dataclass
class DummySender:
    """Sends only what the prospect's preferences allow; remembers the rest."""

    sent: list = field(default_factory=list)
    held: list = field(default_factory=list)

    def send(self, prospect, subject, *, channel="email", now=NOON, requested=False):
        last = self.sent[-1][2] if self.sent else None
        decision = may_contact(
            preferences_of(prospect),
            channel=channel,
            now=now,
            last_sent_at=last,
            requested=requested,
        )
        if decision.allowed:
            self.sent.append((prospect.id, subject, now))
        else:
            self.held.append((subject, decision.reason, decision.not_before))
        return decision


def test_defaults_allow_email():
    """Without choices, email may go out whenever there is news."""
    sender = DummySender()
    sender.send(gen_prospect(), "New home")
    assert len(sender.sent) == 1


def test_none_channel_sends_nothing_but_what_was_asked_for():
    """ "Not at all" stops follow-ups; a requested sign-in link still goes."""
    prospect = gen_prospect()
    update_preferences(prospect, channel="none", pace="any")
    sender = DummySender()
    sender.send(prospect, "Follow-up")
    sender.send(prospect, "Your sign-in link", requested=True)
    assert [s[1] for s in sender.sent] == ["Your sign-in link"]
    assert sender.held[0][1] == "asked not to be contacted"


def test_weekly_pace_holds_a_second_message_for_a_week():
    """At most one message a week: the second waits until seven days after the first."""
    prospect = gen_prospect()
    update_preferences(prospect, channel="email", pace="weekly")
    sender = DummySender()
    sender.send(prospect, "First")
    decision = sender.send(prospect, "Second", now=NOON + timedelta(days=2))
    assert not decision.allowed
    assert decision.not_before == NOON + timedelta(days=7)
    assert sender.send(prospect, "Third", now=NOON + timedelta(days=7)).allowed


def test_only_when_i_ask_sends_only_requested_messages():
    """ "Only when I ask" holds every unrequested message."""
    prospect = gen_prospect()
    update_preferences(prospect, channel="email", pace="on_request")
    sender = DummySender()
    assert not sender.send(prospect, "Follow-up").allowed
    assert sender.send(prospect, "Tour confirmation", requested=True).allowed


def test_quiet_hours_defer_until_they_end():
    """A message at 22:30 local time, with quiet hours 21:00–08:00, waits until 08:00."""
    prospect = gen_prospect()
    update_preferences(
        prospect, channel="email", pace="any", quiet_from=time(21), quiet_until=time(8)
    )
    late = datetime(2026, 12, 1, 20, 30, tzinfo=UTC)  # 22:30 in Helsinki
    decision = DummySender().send(prospect, "Reminder", now=late)
    assert decision.reason == "quiet hours"
    assert decision.not_before == datetime(2026, 12, 2, 6, 0, tzinfo=UTC)  # 08:00 Helsinki
    assert DummySender().send(prospect, "Reminder", now=NOON).allowed


def test_pause_holds_messages_until_the_day_after():
    """Paused until 10 December: nothing before 11 December."""
    prospect = gen_prospect()
    update_preferences(
        prospect,
        channel="email",
        pace="any",
        paused_until=date(2026, 12, 10),
        today=date(2026, 12, 1),
    )
    decision = DummySender().send(prospect, "News")
    assert decision.reason == "paused"
    assert decision.not_before.date() == date(2026, 12, 11)


def test_other_channels_are_not_used():
    """Someone who prefers email gets no SMS."""
    decision = DummySender().send(gen_prospect(), "Text", channel="sms")
    assert decision.reason == "prefers email"


def test_unsubscribe_stops_everything_unrequested():
    """After unsubscribing only requested email goes out."""
    prospect = gen_prospect()
    unsubscribe(prospect)
    sender = DummySender()
    assert sender.send(prospect, "News").reason == "unsubscribed"
    assert sender.send(prospect, "Sign-in link", requested=True).allowed


@pytest.mark.parametrize(
    ("changes", "field_name"),
    [
        ({"channel": "pigeon"}, "channel"),
        ({"channel": "sms"}, "channel"),  # no phone number on the account
        ({"pace": "hourly"}, "pace"),
        ({"quiet_from": time(21)}, "quiet_until"),
        ({"quiet_from": time(8), "quiet_until": time(8)}, "quiet_until"),
        ({"paused_until": date(2020, 1, 1)}, "paused_until"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ],
)
def test_invalid_choices_are_refused_by_field(changes, field_name):
    """Choices we could not honour are refused, naming the field."""
    values = {"channel": "email", "pace": "any"} | changes
    with pytest.raises(InvalidPreferences) as caught:
        update_preferences(gen_prospect(), **values)
    assert field_name in caught.value.fields


def test_contact_page_saves_preferences(client):
    """The page saves the choices and shows field errors for impossible ones."""
    prospect = sign_in(client, "pia@example.com")
    response = client.post(
        "/me/contact",
        data={"channel": "email", "pace": "weekly", "quiet_from": "21:00", "quiet_until": "08:00"},
    )
    assert response.status_code == 303
    prefs = preferences_of(prospect)
    assert (prefs.pace, prefs.quiet_from, prefs.quiet_until) == ("weekly", time(21), time(8))
    bad = client.post("/me/contact", data={"channel": "sms", "pace": "any"})
    assert bad.status_code == 400
    assert "Needs a phone number" in bad.get_data(as_text=True)
    assert preferences_of(prospect).channel == "email"


def test_one_click_unsubscribe_link(client):
    """The unsubscribe link shows a button on GET and unsubscribes on POST (RFC 8058)."""
    prospect = gen_prospect()
    db.session.commit()
    token = unsubscribe_token(prospect, "test-only-not-secret")
    assert client.get(f"/me/unsubscribe/{token}").status_code == 200
    assert preferences_of(prospect).unsubscribed_at is None  # GET changes nothing
    assert client.post(f"/me/unsubscribe/{token}").status_code == 200
    assert preferences_of(prospect).unsubscribed_at is not None
    assert client.post("/me/unsubscribe/forged").status_code == 404
    headers = unsubscribe_headers(f"https://portal.test/me/unsubscribe/{token}")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_details_form_saves_name_and_phone(client):
    """A prospect adds a phone number; a malformed one is a field error and saves nothing."""
    prospect = sign_in(client, "pia@example.com")
    response = client.post("/me/", data={"name": "Pia", "phone": "+358 40 123 4567"})
    assert response.status_code == 303
    assert (prospect.name, prospect.phone) == ("Pia", "+358 40 123 4567")
    bad = client.post("/me/", data={"name": "Pia", "phone": "call me maybe"})
    assert bad.status_code == 400
    assert "Must be a phone number" in bad.get_data(as_text=True)
    assert prospect.phone == "+358 40 123 4567"
    assert client.post("/me/contact", data={"channel": "sms", "pace": "any"}).status_code == 303


# Reminders ask may_contact before going out (portal.tours.reminders).
TOUR_START = datetime(2027, 1, 13, 9, 0, tzinfo=UTC)  # Wednesday 11:00 in Helsinki
BOOKED_AT = TOUR_START - timedelta(days=3)


def _booked_tour():
    unit = gen_unit()
    tour_type = gen_tour_type(unit.property, "guided", horizon_days=30)
    gen_agent(unit.property)
    tour, _ = book_tour(
        tour_type,
        TOUR_START,
        Contact("Pia", "pia@example.com"),
        now=BOOKED_AT,
        settings=TourSettings(),
    )
    db.session.commit()
    return tour


def _reminder(tour, kind: str) -> TourReminder:
    return db.session.scalar(
        sa.select(TourReminder).where(TourReminder.tour_id == tour.id, TourReminder.kind == kind)
    )


def test_no_reminder_goes_to_an_unsubscribed_prospect():
    """A prospect who unsubscribed gets no tour reminder: it is skipped, not queued."""
    tour = _booked_tour()
    unsubscribe(tour.prospect, now=BOOKED_AT)
    db.session.commit()
    counts = reminders.send_due(TOUR_START - timedelta(hours=23), TourSettings())
    assert counts == {"sent": 0, "skipped": 1}
    assert _reminder(tour, "1440m").status == "skipped"
    assert emails("tour_reminder") == []


def test_a_reminder_due_in_quiet_hours_waits_until_they_end():
    """Quiet hours until 10:30 hold the 10:00 reminder of an 11:00 tour until 10:30."""
    tour = _booked_tour()
    update_preferences(
        tour.prospect,
        channel="email",
        pace="any",
        quiet_from=time(21),
        quiet_until=time(10, 30),
        today=BOOKED_AT.date(),
    )
    db.session.commit()
    assert reminders.send_due(TOUR_START - timedelta(hours=23), TourSettings())["sent"] == 1
    due = TOUR_START - timedelta(minutes=60)
    assert reminders.send_due(due, TourSettings()) == {"sent": 0, "skipped": 0}
    held = _reminder(tour, "60m")
    assert (held.status, held.due_at) == ("pending", TOUR_START - timedelta(minutes=30))
    assert reminders.send_due(TOUR_START - timedelta(minutes=30), TourSettings())["sent"] == 1
    assert len(emails("tour_reminder")) == 2


def test_a_booker_who_prefers_sms_still_gets_email_reminders_of_their_tour():
    """Channel and pace are about our other messages: a booked tour's reminder goes by email."""
    tour = _booked_tour()
    tour.prospect.phone = "+358 40 123 4567"
    update_preferences(tour.prospect, channel="sms", pace="on_request", today=BOOKED_AT.date())
    db.session.commit()
    counts = reminders.send_due(TOUR_START - timedelta(hours=23), TourSettings())
    assert counts == {"sent": 1, "skipped": 0}
    assert len(emails("tour_reminder")) == 1
