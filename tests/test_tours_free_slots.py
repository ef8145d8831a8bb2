"""Free slots read from the database (``portal.tours.free_slots``): agents, days, plans."""

from datetime import time

import pytest

from portal.extensions import db
from portal.models.base import utcnow
from portal.tours.free_slots import plan_days
from tests.factories import gen_agent, gen_tour_type, gen_unit
from tests.tours_helpers import book_and_commit, local_slot

pytestmark = pytest.mark.usefixtures("fixed_clock")


def test_bookings_go_to_the_least_loaded_agent_in_turn(app):
    """Fair round-robin: with two free agents, consecutive bookings alternate between them."""
    unit = gen_unit()
    tour_type = gen_tour_type(unit.property, "guided")
    first_agent, second_agent = gen_agent(unit.property), gen_agent(unit.property)
    db.session.commit()
    agents = [
        book_and_commit(tour_type, local_slot(3, time(hour)), email=f"v{hour}@example.com").agent_id
        for hour in (10, 11, 12, 13)
    ]
    assert agents[0] != agents[1]
    assert agents[:2] == agents[2:]
    assert set(agents) == {first_agent.id, second_agent.id}


def test_the_day_plan_lists_only_days_with_free_slots(app):
    """The plan lists days with free slots and the wanted day's slots, else the first day's."""
    unit = gen_unit()
    tour_type = gen_tour_type(unit.property, "guided", min_notice_minutes=0, horizon_days=3)
    gen_agent(unit.property)
    db.session.commit()
    wanted = local_slot(2).date()
    plan = plan_days(tour_type, wanted, utcnow())
    assert plan.day == wanted
    assert all(count > 0 for _, count in plan.days)
    assert [s.start for s in plan.slots][:2] == [local_slot(2, time(9)), local_slot(2, time(9, 30))]
    assert plan_days(tour_type, None, utcnow()).day == plan.days[0][0]
