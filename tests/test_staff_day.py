"""The agent's day at /staff/: tours by property and local day, video start, check-in, roles."""

from dataclasses import fields
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import Tour
from portal.tours import events
from portal.tours.agent_day import (
    _CARD_COLUMNS,
    CHECK_IN_EARLY,
    VIDEO_OPENS,
    DayTour,
    day_rows,
    day_tours,
    regroup_at,
)
from portal.tours.booking_errors import TourClosed
from portal.tours.outcomes import check_in
from tests.factories import gen_agent, gen_property, gen_staff
from tests.staff_helpers import gen_tour, sign_in_staff

pytestmark = pytest.mark.usefixtures("app", "fixed_clock")
NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 09:00 in Helsinki (FIXED_NOW)


@pytest.fixture
def two_properties(app):
    a, b = gen_property(name="Alpha House"), gen_property(name="Beta Court")
    agent_a, agent_b = gen_agent(a), gen_agent(b)
    db.session.commit()
    return a, b, agent_a, agent_b


def test_agent_sees_own_tours_grouped_by_property_and_local_day(client, auth, two_properties):
    """Today's and tomorrow's tours of the agent's properties, under the property, local times."""
    a, b, agent_a, _ = two_properties
    gen_tour(a, NOW + timedelta(hours=2), agent=agent_a)  # 11:00 Helsinki
    gen_tour(a, NOW + timedelta(days=1, hours=4), agent=agent_a, kind="self_guided")
    gen_tour(b, NOW + timedelta(hours=3), agent=None, kind="self_guided")  # another property
    sign_in_staff(auth, agent_a)
    html = client.get("/staff/").get_data(as_text=True)
    assert "Alpha House" in html
    assert "Beta Court" not in html
    assert "Tuesday 24 November 2026" in html
    assert "Wednesday 25 November 2026" in html
    assert "11:00–11:30" in html
    assert "Self-guided tour" in html


def test_the_day_is_cut_in_each_propertys_zone():
    """A tour at 23:30 local on Tuesday in New York is Tuesday's, though it is Wednesday in UTC."""
    ny = gen_property(name="Hudson", time_zone="America/New_York", lat=40.7, lon=-74.0)
    agent = gen_agent(ny)
    late = datetime(2026, 11, 25, 4, 30, tzinfo=UTC)  # 23:30 on 24 Nov in New York
    eighth = NOW + timedelta(days=8)
    gen_tour(ny, late, agent=agent)
    gen_tour(ny, eighth, agent=agent)
    (group,) = day_tours(agent, NOW)
    assert list(group.days) == [datetime(2026, 11, 24).date()]
    assert group.days[datetime(2026, 11, 24).date()][0].local_start.hour == 23


def test_video_button_from_ten_minutes_before_until_the_end(client, auth, two_properties):
    """ "Start video tour" shows only when it is time, for a video tour with a room."""
    a, _, agent_a, _ = two_properties
    soon = gen_tour(a, NOW + timedelta(minutes=8), agent=agent_a, kind="video")
    later = gen_tour(a, NOW + timedelta(hours=3), agent=agent_a, kind="video")
    sign_in_staff(auth, agent_a)
    html = client.get("/staff/").get_data(as_text=True)
    assert html.count("Start video tour") == 1
    assert soon.video_room_url in html
    assert later.video_room_url not in html


def test_admin_filters_by_agent(client, auth, two_properties):
    """Admins see every agent's tours, or one agent's when they choose one."""
    a, b, agent_a, agent_b = two_properties
    gen_tour(a, NOW + timedelta(hours=2), agent=agent_a, name="Ann Visitor")
    gen_tour(b, NOW + timedelta(hours=2), agent=agent_b, name="Bob Visitor")
    admin = gen_staff("admin")
    sign_in_staff(auth, admin)
    everyone = client.get("/staff/").get_data(as_text=True)
    assert "Ann Visitor" in everyone
    assert "Bob Visitor" in everyone
    only_b = client.get(f"/staff/?agent={agent_b.id}").get_data(as_text=True)
    assert "Bob Visitor" in only_b
    assert "Ann Visitor" not in only_b
    bad = client.get("/staff/?agent=nobody")
    assert bad.status_code == 422
    assert "Choose an agent from the list" in bad.get_data(as_text=True)


def test_marketers_see_counts_not_people(client, auth, two_properties):
    """No visitor names for marketers: how many tours each community has coming up."""
    a, _, agent_a, _ = two_properties
    gen_tour(a, NOW + timedelta(hours=2), agent=agent_a, name="Ann Visitor")
    sign_in_staff(auth, gen_staff("marketer"))
    html = client.get("/staff/").get_data(as_text=True)
    assert "Ann Visitor" not in html
    assert "<strong>1</strong> at Alpha House" in html


def test_check_in_sets_the_time_and_publishes_the_event(client, auth, two_properties):
    """The check-in button stores the time and publishes one checked_in event."""
    a, _, agent_a, _ = two_properties
    tour = gen_tour(a, NOW + timedelta(minutes=10), agent=agent_a)
    seen = []
    events.subscribe(seen.append)
    try:
        sign_in_staff(auth, agent_a)
        assert "Check in" in client.get("/staff/").get_data(as_text=True)
        response = client.post(f"/staff/tours/{tour.id}/check-in")
        assert response.status_code == 303
    finally:
        events.unsubscribe(seen.append)
    db.session.expire_all()
    assert db.session.get(Tour, tour.id).checked_in_at is not None
    assert [(e.kind, e.tour.id, e.actor) for e in seen] == [
        ("checked_in", tour.id, f"staff:{agent_a.id}")
    ]
    again = client.post(f"/staff/tours/{tour.id}/check-in", follow_redirects=True)
    assert "already checked in" in again.get_data(as_text=True)


def test_check_in_refuses_cancelled_and_far_away_tours(two_properties):
    """Only a confirmed tour around its time can be checked in; nothing is stored otherwise."""
    a, _, agent_a, _ = two_properties
    cancelled = gen_tour(a, NOW, agent=agent_a, status="cancelled_by_prospect")
    tomorrow = gen_tour(a, NOW + timedelta(days=1), agent=agent_a)
    for tour in (cancelled, tomorrow):
        with pytest.raises(TourClosed):
            check_in(tour, agent_a, NOW)
        assert tour.checked_in_at is None


def test_check_in_of_another_propertys_tour_is_404(client, auth, two_properties):
    """An agent of A cannot check in B's tour, and learns nothing about it."""
    _, b, agent_a, agent_b = two_properties
    tour = gen_tour(b, NOW + timedelta(minutes=5), agent=agent_b)
    sign_in_staff(auth, agent_a)
    assert client.post(f"/staff/tours/{tour.id}/check-in").status_code == 404
    db.session.expire_all()
    assert db.session.scalar(sa.select(Tour.checked_in_at).where(Tour.id == tour.id)) is None


def test_day_of_fifty_tours_fits_a_phone(client, auth, two_properties):
    """Fifty tours render as cards (no table to overflow a 390 px screen)."""
    a, _, agent_a, _ = two_properties
    for n in range(50):
        gen_tour(a, NOW + timedelta(hours=1 + n * 3), agent=agent_a)
    sign_in_staff(auth, agent_a)
    html = client.get("/staff/").get_data(as_text=True)
    # The last one starts 148 hours from now, before the seventh local day ends.
    assert html.count('class="tour-card"') == 50
    assert "<table" not in html


def test_a_row_of_the_day_query_fills_a_day_tour_by_position():
    """The card columns come first in DayTour, named and ordered as the query selects them."""
    columns = tuple(_CARD_COLUMNS.selected_columns.keys())
    assert tuple(f.name for f in fields(DayTour))[: len(columns)] == columns


def test_the_kept_day_follows_the_tours_and_the_clock(client, auth, two_properties, time_machine):
    """The rendered day is reused only while nothing on it changes: an edit to the tour
    shows on the next request, and so does a button that opens or closes as time passes."""
    a, _, agent_a, _ = two_properties
    starts = NOW + timedelta(minutes=20)  # check-in is open, the video call opens in 10
    tour = gen_tour(a, starts, agent=agent_a, kind="video", name="Ann Visitor")
    sign_in_staff(auth, agent_a)
    first = client.get("/staff/").get_data(as_text=True)
    assert "Ann Visitor" in first
    assert "Check in" in first
    assert "Start video tour" not in first
    assert client.get("/staff/").get_data(as_text=True) == first  # the kept one, same rows

    tour.name = "Ann Renamed"
    db.session.commit()
    assert "Ann Renamed" in client.get("/staff/").get_data(as_text=True)

    time_machine.move_to(starts - VIDEO_OPENS + timedelta(seconds=1))
    assert "Start video tour" in client.get("/staff/").get_data(as_text=True)
    time_machine.move_to(starts + timedelta(minutes=5))  # (keeps the session from idling out)
    assert "Start video tour" in client.get("/staff/").get_data(as_text=True)
    time_machine.move_to(tour.ends_at + timedelta(seconds=1))
    closed = client.get("/staff/").get_data(as_text=True)
    assert "Ann Renamed" in closed
    assert "Start video tour" not in closed
    assert "Check in" not in closed


def test_the_day_is_laid_out_again_when_a_button_opens_or_the_day_turns(two_properties):
    """``regroup_at`` is the first of: check-in opens, the video call opens, the tour ends,
    local midnight in the property's zone."""
    a, _, agent_a, _ = two_properties
    tour = gen_tour(a, NOW + timedelta(hours=2), agent=agent_a, kind="video")
    rows = day_rows(agent_a, NOW)
    assert regroup_at(rows, NOW) == tour.starts_at - CHECK_IN_EARLY
    assert regroup_at(rows, tour.starts_at - CHECK_IN_EARLY) == tour.starts_at - CHECK_IN_EARLY
    assert regroup_at(rows, tour.starts_at - VIDEO_OPENS / 2) == tour.ends_at
    after = tour.ends_at + timedelta(minutes=1)
    assert regroup_at(rows, after) == datetime(2026, 11, 24, 22, 0, tzinfo=UTC)  # Helsinki midnight
    assert regroup_at([], NOW) is None
