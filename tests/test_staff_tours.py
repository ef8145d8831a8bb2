"""The staff tours page: the agent's list, confirming requests, reassigning, cancel, outcome."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import SlotClaim
from portal.models.base import utcnow
from tests.factories import STAFF_PASSWORD, gen_agent, gen_staff, gen_tour_type, gen_unit
from tests.tours_helpers import book_and_commit, emails, local_slot

STAFF_TOUR_PAGES = ["/staff/tours", "/staff/availability"]

pytestmark = pytest.mark.usefixtures("fixed_clock")


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
    """The agent sees their video tour with its room link; another agent does not."""
    tour_type, agent = video
    tour = book_and_commit(tour_type, local_slot(2))
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
    """Confirming a request confirms it once, raises its sequence and mails the visitor once."""
    unit = gen_unit()
    tour_type = gen_tour_type(unit.property, "guided", confirmation="staff")
    agent = gen_agent(unit.property)
    db.session.commit()
    tour = book_and_commit(tour_type, local_slot(2))
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
    """A reassigned tour's time is claimed by the new agent and released by the old one."""
    tour_type, agent = video
    other = gen_agent(tour_type.property)
    db.session.commit()
    tour = book_and_commit(tour_type, local_slot(2))
    auth.login(tour.agent.email, STAFF_PASSWORD)
    new_agent = other if tour.agent_id == agent.id else agent
    response = client.post(f"/staff/tours/{tour.id}/reassign", data={"agent_id": new_agent.id})
    assert response.status_code == 303
    db.session.expire_all()
    assert tour.agent_id == new_agent.id
    assert set(db.session.scalars(sa.select(SlotClaim.agent_id))) == {new_agent.id}


def test_agent_cannot_act_on_someone_elses_tour(client, auth, video):
    """Another agent's tour is not found (404) and stays as it was."""
    tour_type, agent = video
    tour = book_and_commit(tour_type, local_slot(2))
    stranger = gen_staff("agent")
    db.session.commit()
    auth.login(stranger.email, STAFF_PASSWORD)
    assert client.post(f"/staff/tours/{tour.id}/cancel").status_code == 404
    db.session.expire_all()
    assert tour.status == "confirmed"


def test_staff_cancel_tells_the_visitor(client, auth, video):
    """A staff cancel marks the tour cancelled by staff and mails the visitor."""
    tour_type, agent = video
    tour = book_and_commit(tour_type, local_slot(2))
    auth.login(agent.email, STAFF_PASSWORD)
    client.post(f"/staff/tours/{tour.id}/cancel")
    db.session.expire_all()
    assert tour.status == "cancelled_by_staff"
    assert len(emails("tour_cancelled")) == 1


def test_outcome_only_after_the_start(client, auth, video):
    """Completed / no-show can be recorded for a tour that has started, not before."""
    tour_type, agent = video
    tour = book_and_commit(tour_type, local_slot(2))
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
