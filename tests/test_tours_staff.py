"""Staff side of tours: the agent's list, confirming requests, reassigning, working hours."""

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import AgentHours, AgentOverride, SlotClaim, Tour
from portal.models.base import utcnow
from portal.tours.booking import Contact, book_tour
from portal.tours.tour_settings import TourSettings
from tests.factories import STAFF_PASSWORD, gen_agent, gen_staff, gen_tour_type, gen_unit
from tests.tours_helpers import emails, local_slot

STAFF_TOUR_PAGES = ["/staff/tours", "/staff/availability"]


def _book(tour_type, start, email="pia@example.com") -> Tour:
    tour, _ = book_tour(
        tour_type, start, Contact("Pia", email), now=utcnow(), settings=TourSettings()
    )
    db.session.commit()
    return tour


@pytest.fixture
def video(app):
    unit = gen_unit()
    tour_type = gen_tour_type(unit.property, "video")
    agent = gen_agent(unit.property)
    db.session.commit()
    return tour_type, agent


@pytest.mark.parametrize("path", STAFF_TOUR_PAGES)
def test_tour_pages_need_an_agent(client, auth, path):
    """Signed out: to the login; a marketer: forbidden; an agent: allowed."""
    assert client.get(path).status_code == 302
    marketer = gen_staff("marketer")
    db.session.commit()
    auth.login(marketer.email, STAFF_PASSWORD)
    assert client.get(path).status_code == 403
    auth.logout()
    agent = gen_staff("agent")
    db.session.commit()
    auth.login(agent.email, STAFF_PASSWORD)
    assert client.get(path).status_code == 200


def test_agent_sees_own_video_tour_with_start_button(client, auth, video):
    tour_type, agent = video
    tour = _book(tour_type, local_slot(2))
    other = gen_agent(tour_type.property)
    db.session.commit()
    auth.login(agent.email, STAFF_PASSWORD)
    html = client.get("/staff/tours").get_data(as_text=True)
    assert "Start video tour" in html
    assert tour.video_room_url in html
    auth.logout()
    auth.login(other.email, STAFF_PASSWORD)
    assert tour.video_room_url not in client.get("/staff/tours").get_data(as_text=True)


def test_agent_confirms_a_pending_request(client, auth, app):
    unit = gen_unit()
    tour_type = gen_tour_type(unit.property, "guided", confirmation="staff")
    agent = gen_agent(unit.property)
    db.session.commit()
    tour = _book(tour_type, local_slot(2))
    assert tour.status == "requested"
    auth.login(agent.email, STAFF_PASSWORD)
    response = client.post(f"/staff/tours/{tour.id}/confirm")
    assert response.status_code == 303
    db.session.expire_all()
    assert tour.status == "confirmed"
    assert tour.sequence == 1
    assert len(emails("tour_confirmed")) == 1
    # Confirming twice does nothing more.
    client.post(f"/staff/tours/{tour.id}/confirm")
    assert len(emails("tour_confirmed")) == 1


def test_reassign_moves_the_claim_to_the_new_agent(client, auth, video):
    tour_type, agent = video
    other = gen_agent(tour_type.property)
    db.session.commit()
    tour = _book(tour_type, local_slot(2))
    auth.login(tour.agent.email, STAFF_PASSWORD)
    new_agent = other if tour.agent_id == agent.id else agent
    response = client.post(f"/staff/tours/{tour.id}/reassign", data={"agent_id": new_agent.id})
    assert response.status_code == 303
    db.session.expire_all()
    assert tour.agent_id == new_agent.id
    assert set(db.session.scalars(sa.select(SlotClaim.agent_id))) == {new_agent.id}


def test_agent_cannot_act_on_someone_elses_tour(client, auth, video):
    tour_type, agent = video
    tour = _book(tour_type, local_slot(2))
    stranger = gen_staff("agent")
    db.session.commit()
    auth.login(stranger.email, STAFF_PASSWORD)
    assert client.post(f"/staff/tours/{tour.id}/cancel").status_code == 404
    db.session.expire_all()
    assert tour.status == "confirmed"


def test_staff_cancel_tells_the_visitor(client, auth, video):
    tour_type, agent = video
    tour = _book(tour_type, local_slot(2))
    auth.login(agent.email, STAFF_PASSWORD)
    client.post(f"/staff/tours/{tour.id}/cancel")
    db.session.expire_all()
    assert tour.status == "cancelled_by_staff"
    assert len(emails("tour_cancelled")) == 1


def test_outcome_only_after_the_start(client, auth, video):
    """Completed / no-show can be recorded for a tour that has started, not before."""
    tour_type, agent = video
    tour = _book(tour_type, local_slot(2))
    auth.login(agent.email, STAFF_PASSWORD)
    client.post(f"/staff/tours/{tour.id}/outcome/no_show")
    db.session.expire_all()
    assert tour.status == "confirmed"
    tour.starts_at = utcnow() - timedelta(minutes=10)
    tour.ends_at = utcnow() + timedelta(minutes=20)
    db.session.commit()
    client.post(f"/staff/tours/{tour.id}/outcome/no_show")
    db.session.expire_all()
    assert tour.status == "no_show"


def test_agent_sets_hours_and_time_off(client, auth, video):
    """New weekly hours and a day off change which slots are offered."""
    tour_type, agent = video
    auth.login(agent.email, STAFF_PASSWORD)
    data = {f"starts_{d}": "10:00" for d in range(7)} | {f"ends_{d}": "12:00" for d in range(7)}
    assert client.post("/staff/availability/hours", data=data).status_code == 303
    assert {(h.starts, h.ends) for h in db.session.scalars(sa.select(AgentHours))} == {
        (time(10), time(12))
    }
    bad = data | {"ends_0": "09:00"}
    assert client.post("/staff/availability/hours", data=bad).status_code == 422
    day = local_slot(3).date()
    response = client.post(
        "/staff/availability/overrides", data={"day": day.isoformat(), "kind": "off"}
    )
    assert response.status_code == 303
    assert db.session.scalar(sa.select(AgentOverride.day)) == day
    from portal.tours.free_slots import slots_by_day

    assert slots_by_day(tour_type, day, day, utcnow())[day] == []


def test_bookings_go_to_the_least_loaded_agent_in_turn(app):
    """Fair round-robin: with two free agents, consecutive bookings alternate between them."""
    unit = gen_unit()
    tour_type = gen_tour_type(unit.property, "guided")
    first_agent, second_agent = gen_agent(unit.property), gen_agent(unit.property)
    db.session.commit()
    agents = [
        _book(tour_type, local_slot(3, time(hour)), email=f"v{hour}@example.com").agent_id
        for hour in (10, 11, 12, 13)
    ]
    assert agents[0] != agents[1]
    assert agents[:2] == agents[2:]
    assert set(agents) == {first_agent.id, second_agent.id}
