"""The demo city can be toured: every community offers every tour type on `make run`."""

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from portal.demo.loader import load_demo
from portal.demo.tours import HOLIDAYS
from portal.extensions import db
from portal.models import AgentHours, OpeningHours, Property, PropertyAgent, TourType
from tests.tours_helpers import booking_data, local_slot, token_from

pytestmark = pytest.mark.usefixtures("fixed_clock")


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_every_community_offers_three_tour_types(demo):
    """Each demo community has three tour types, six opening days and one agent."""
    communities = _count(Property)
    assert _count(TourType) == 3 * communities
    assert _count(PropertyAgent) == communities
    assert _count(OpeningHours) == 6 * communities
    assert _count(AgentHours) == 6


def test_demo_shows_both_choices_for_unconfirmed_addresses(demo):
    """One community confirms instant tours for unconfirmed emails by the link; the rest cap."""
    modes = dict(db.session.execute(sa.select(Property.slug, Property.unverified_instant)).all())
    assert modes["vuorikatu-lofts"] == "link"
    assert set(modes.values()) == {"capped", "link"}


def test_second_load_adds_no_tour_setup(demo):
    """Loading the demo again adds no tour types, hours or agents."""
    again = load_demo(date(2026, 11, 23))
    assert again.tour_setup == 0
    assert not again.added_anything


def test_visitor_books_each_tour_type_on_a_demo_listing(client, demo):
    """On a weekday with the agent working, all three kinds can be booked."""
    unit_id = client.get("/api/v1/listings").get_json()["items"][0]["id"]

    def closed(days: int) -> bool:
        day = local_slot(days).astimezone(ZoneInfo("Europe/Helsinki")).date()
        return day.weekday() >= 5 or day in HOLIDAYS

    days = 2
    while closed(days):
        days += 1
    for n, kind in enumerate(("guided", "self_guided", "video")):
        start = local_slot(days, time(10 + n))
        response = client.post(
            f"/tours/book/{unit_id}/details",
            data=booking_data(kind, start, email=f"v{n}@example.com"),
        )
        assert response.status_code == 303, response.get_data(as_text=True)
        assert client.get(f"/tours/m/{token_from(response.headers['Location'])}").status_code == 200
