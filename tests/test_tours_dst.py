"""A booked tour on a DST day: stored UTC, shown and mailed at the advertised local time."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from portal.extensions import db
from portal.tours.booking import Contact, book_tour
from portal.tours.tour_settings import TourSettings
from tests.factories import gen_agent, gen_property, gen_tour_type
from tests.tours_helpers import emails


@pytest.mark.parametrize(
    ("zone", "local", "utc"),
    [
        ("America/New_York", "2026-03-08T09:00", "2026-03-08T13:00"),  # spring forward, EDT
        ("America/New_York", "2026-03-08T15:00", "2026-03-08T19:00"),
        ("America/New_York", "2026-11-01T09:00", "2026-11-01T14:00"),  # fall back, EST
        ("America/New_York", "2026-11-01T15:00", "2026-11-01T20:00"),
        ("Europe/Helsinki", "2026-03-29T09:00", "2026-03-29T06:00"),  # EEST
        ("Europe/Helsinki", "2026-03-29T15:00", "2026-03-29T12:00"),
        ("Europe/Helsinki", "2026-10-25T09:00", "2026-10-25T07:00"),  # EET
        ("Europe/Helsinki", "2026-10-25T15:00", "2026-10-25T13:00"),
    ],
)
def test_tour_on_a_dst_day_keeps_its_local_time(app, zone, local, utc):
    """A tour on a DST-change day is stored in UTC and mailed at its local time."""
    prop = gen_property(time_zone=zone)
    tour_type = gen_tour_type(prop, "guided", horizon_days=30)
    gen_agent(prop)
    db.session.commit()
    start = datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(zone))
    now = start.astimezone(UTC) - timedelta(days=5)
    tour, _ = book_tour(
        tour_type, start, Contact("Pia", "pia@example.com"), now=now, settings=TourSettings()
    )
    db.session.commit()
    assert tour.starts_at == datetime.fromisoformat(utc).replace(tzinfo=UTC)
    [email] = emails("tour_confirmed")
    assert f"at {local[-5:]} (" in email.text_body
    event = Calendar.from_ical(email.attachments[0]["content"]).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == tour.starts_at
