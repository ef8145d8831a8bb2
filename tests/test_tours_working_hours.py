"""An agent's working hours (``portal.tours.working_hours``) and the page that sets them."""

from datetime import date, time

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import AgentHours, AgentOverride
from portal.models.base import utcnow
from portal.tours import working_hours
from portal.tours.free_slots import slots_by_day
from tests.factories import STAFF_PASSWORD, gen_agent, gen_staff, gen_tour_type, gen_unit
from tests.tours_helpers import local_slot

pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture
def video(app):
    unit = gen_unit()
    tour_type = gen_tour_type(unit.property, "video")
    agent = gen_agent(unit.property)
    db.session.commit()
    return tour_type, agent


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
    assert slots_by_day(tour_type, day, day, utcnow())[day] == []


def test_replacing_weekly_hours_keeps_only_the_new_windows(app):
    """The service swaps every weekly window at once and leaves the commit to the caller."""
    agent = gen_staff("agent")
    db.session.commit()
    working_hours.replace_weekly_hours(agent.id, {0: (time(8), time(12)), 1: (time(9), time(17))})
    working_hours.replace_weekly_hours(agent.id, {2: (time(10), time(14))})
    assert working_hours.weekly_windows(agent.id) == [(2, time(10), time(14))]
    db.session.rollback()
    assert working_hours.weekly_windows(agent.id) == []


def test_an_agent_only_reaches_their_own_overrides(app):
    """Another agent's override id finds nothing, so it cannot be removed by them."""
    agent, other = gen_staff("agent"), gen_staff("agent")
    db.session.commit()
    override = working_hours.add_override(agent.id, date(2026, 12, 1), "off", note="  Dentist ")
    db.session.commit()
    assert override.note == "Dentist"
    assert working_hours.agent_override(other.id, override.id) is None
    assert working_hours.agent_override(agent.id, override.id) is override
    working_hours.remove_override(override)
    db.session.commit()
    assert working_hours.overrides_of(agent.id) == []
