"""How many SQL statements the staff pages cost: pinned, and independent of how much there is.

The benchmark floors (brief ≤ 3× the listing detail page, the day ≤ 2× the listings
index) hold only while the pages read their data in a fixed number of statements;
these tests fail on a new repeat or an N+1 before the benchmark would.
"""

from contextlib import contextmanager
from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import ContactPreference, Favourite, OutboxEmail, PropertyAgent
from portal.models.base import utcnow
from portal.prospects.priorities import Priorities, record_priorities
from portal.prospects.signals import record_signal
from tests.factories import gen_agent, gen_internet, gen_property, gen_prospect, gen_unit
from tests.sql_statements import recorded
from tests.staff_helpers import gen_tour, sign_in_staff

pytestmark = pytest.mark.usefixtures("fixed_clock")

# A staff page: the signed-in user (1), then its own; on a repeat request the process
# still holds the follow-up backlog count (FOLLOWUPS_BACKLOG_RECOUNT_SECONDS). Without an
# imported region (no commute, no neighbourhood reads). The homes' fit facts come from
# the listings' catalogue cache on a repeat request (one version read instead); the
# homes to show come with their building's internet, not the listing pages' photos.
BRIEF_STATEMENTS = 15
DAY_STATEMENTS = 2
PROSPECTS_LIST_STATEMENTS = 5


@contextmanager
def statements():
    """The SQL statements run inside the block, on a fresh session (as a new request has)."""
    db.session.remove()
    with recorded() as seen:
        yield seen


def _brief_of_a_busy_prospect(homes: int, earlier_tours: int, emails: int):
    """A tour of a prospect with priorities, browsing, a favourite, earlier tours and mail."""
    prop = gen_property()
    gen_internet(prop)
    units = [gen_unit(prop, rent_eur=1200 + 50 * n) for n in range(homes)]
    agent = gen_agent(prop)
    prospect = gen_prospect()
    db.session.add(ContactPreference(prospect_id=prospect.id, channel="email", pace="weekly"))
    record_priorities(
        Priorities(importance={"pets": "must_have"}, budget_max=1500),
        source="prospect",
        prospect=prospect,
    )
    for unit in units:
        record_signal("listing_view", prospect=prospect, unit_id=unit.id, dwell_seconds=60)
    db.session.add(Favourite(prospect_id=prospect.id, unit_id=units[-1].id))
    for n in range(emails):
        db.session.add(
            OutboxEmail(
                kind="tour_confirmed",
                to_address=prospect.email,
                subject=f"Mail {n}",
                text_body="See you",
            )
        )
    now = utcnow()
    for n in range(earlier_tours):
        gen_tour(prop, now - timedelta(days=n + 1), prospect=prospect, agent=agent)
    tour = gen_tour(prop, now + timedelta(hours=2), prospect=prospect, agent=agent, unit=units[0])
    db.session.commit()
    return tour, agent


@pytest.mark.parametrize(
    ("homes", "earlier_tours", "emails"), [(2, 0, 1), (8, 4, 6)], ids=["small", "busy"]
)
def test_the_brief_reads_a_fixed_number_of_statements(client, auth, homes, earlier_tours, emails):
    """The brief costs the same statements for 2 homes and 8, 0 earlier tours and 4."""
    tour, agent = _brief_of_a_busy_prospect(homes, earlier_tours, emails)
    sign_in_staff(auth, agent)
    client.get(f"/staff/tours/{tour.id}")
    with statements() as seen:
        assert client.get(f"/staff/tours/{tour.id}").status_code == 200
    assert len(seen) == BRIEF_STATEMENTS


@pytest.mark.parametrize("tours", [3, 12])
def test_the_day_reads_a_fixed_number_of_statements(client, auth, tours):
    """The agent's day costs the same few statements for 3 tours at 2 properties and 12."""
    a, b = gen_property(), gen_property()
    agent = gen_agent(a)
    db.session.add(PropertyAgent(property_id=b.id, staff_id=agent.id))
    now = utcnow()
    for n in range(tours):
        gen_tour(a if n % 2 else b, now + timedelta(hours=1 + n), agent=agent)
    sign_in_staff(auth, agent)
    client.get("/staff/")
    with statements() as seen:
        page = client.get("/staff/")
    assert page.get_data(as_text=True).count('class="tour-card"') == tours
    assert len(seen) == DAY_STATEMENTS


@pytest.mark.parametrize("prospects", [3, 30])
def test_the_prospects_list_reads_a_fixed_number_of_statements(client, auth, prospects):
    """A page of the list costs the same statements for 3 prospects with tours and 30."""
    prop = gen_property()
    agent = gen_agent(prop)
    now = utcnow()
    for _ in range(prospects):
        gen_tour(prop, now + timedelta(days=1), prospect=gen_prospect(), agent=agent)
    sign_in_staff(auth, agent)
    client.get("/staff/prospects")
    with statements() as seen:
        assert client.get("/staff/prospects?q=example").status_code == 200
    assert len(seen) == PROSPECTS_LIST_STATEMENTS
