"""Agents belong to properties: admins edit the membership, and only members get tours."""

from datetime import time

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import AgentHours, PropertyAgent
from portal.models.base import utcnow
from portal.tours.assignment import reassign_tour
from portal.tours.booking_errors import BookingError, SlotTaken
from tests.factories import gen_agent, gen_property, gen_staff, gen_tour_type
from tests.staff_helpers import sign_in_staff
from tests.tours_helpers import book_and_commit, local_slot

pytestmark = pytest.mark.usefixtures("app", "fixed_clock")


def _working_agent():
    """An agent with hours every day 9-17 who belongs to no property."""
    agent = gen_staff("agent")
    for weekday in range(7):
        db.session.add(
            AgentHours(staff_id=agent.id, weekday=weekday, starts=time(9), ends=time(17))
        )
    db.session.flush()
    return agent


def _members(prop) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(PropertyAgent.staff_id).where(PropertyAgent.property_id == prop.id)
        )
    )


def test_admin_adds_and_removes_agents(client, auth):
    """The page lists members; adding and removing change the rows."""
    prop = gen_property(name="Alpha House")
    member, newcomer = gen_agent(prop), _working_agent()
    sign_in_staff(auth, gen_staff("admin"))
    page = client.get(f"/staff/properties/{prop.id}/agents").get_data(as_text=True)
    assert member.name in page
    assert f'<option value="{newcomer.id}">' in page
    response = client.post(f"/staff/properties/{prop.id}/agents", data={"staff_id": newcomer.id})
    assert response.status_code == 303
    assert _members(prop) == {member.id, newcomer.id}
    removed = client.post(f"/staff/properties/{prop.id}/agents/{member.id}/remove")
    assert removed.status_code == 303
    assert _members(prop) == {newcomer.id}


@pytest.mark.parametrize("value", ["", "abc", "999999", "-1"])
def test_adding_a_non_agent_is_refused_and_stores_nothing(client, auth, value):
    """Not an agent of the list: 422 with the message, no row."""
    prop = gen_property()
    sign_in_staff(auth, gen_staff("admin"))
    response = client.post(f"/staff/properties/{prop.id}/agents", data={"staff_id": value})
    assert response.status_code == 422
    assert "Choose an active agent from the list." in response.get_data(as_text=True)
    assert _members(prop) == set()


def test_a_marketer_cannot_be_made_a_member(client, auth):
    """Only agents lead tours: a marketer is not among the choices."""
    prop = gen_property()
    marketer = gen_staff("marketer")
    sign_in_staff(auth, gen_staff("admin"))
    response = client.post(f"/staff/properties/{prop.id}/agents", data={"staff_id": marketer.id})
    assert response.status_code == 422
    assert _members(prop) == set()


def test_removing_a_non_member_is_404(client, auth):
    prop = gen_property()
    outsider = _working_agent()
    sign_in_staff(auth, gen_staff("admin"))
    assert (
        client.post(f"/staff/properties/{prop.id}/agents/{outsider.id}/remove").status_code == 404
    )
    assert client.get("/staff/properties/999999/agents").status_code == 404


def test_booking_picks_only_members(client, auth):
    """A free agent who is not a member is never given a tour; once they join, they are."""
    prop = gen_property()
    tour_type = gen_tour_type(prop)
    member, outsider = gen_agent(prop), _working_agent()
    db.session.commit()
    ten = local_slot(2, time(10))
    assert book_and_commit(tour_type, ten, email="a@example.com").agent_id == member.id
    with pytest.raises(SlotTaken):  # the outsider is free at ten, but not a member
        book_and_commit(tour_type, ten, email="b@example.com")
    db.session.rollback()
    sign_in_staff(auth, gen_staff("admin"))
    client.post(f"/staff/properties/{prop.id}/agents", data={"staff_id": outsider.id})
    assert book_and_commit(tour_type, ten, email="c@example.com").agent_id == outsider.id
    client.post(f"/staff/properties/{prop.id}/agents/{member.id}/remove")
    noon = local_slot(2, time(12))
    assert book_and_commit(tour_type, noon, email="d@example.com").agent_id == outsider.id


def test_reassignment_refuses_a_non_member():
    """A tour cannot be handed to an agent who does not belong to its property."""
    prop = gen_property()
    tour_type = gen_tour_type(prop)
    gen_agent(prop)
    outsider = _working_agent()
    db.session.commit()
    tour = book_and_commit(tour_type, local_slot(2, time(10)))
    with pytest.raises(BookingError, match="does not lead tours at this property"):
        reassign_tour(tour, outsider.id, now=utcnow(), actor="staff:1")
