"""The demo agent's morning on a phone: today's tours, a brief, the tour recorded.

Playwright in Debian's Chromium at 390×844; every screen is checked with axe-core as
it arrives (no serious or critical violations).
"""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from portal.demo.loader import load_demo
from portal.demo.tours import DEMO_AGENT_EMAIL
from portal.extensions import db
from tests.browser.pages.staff_crm import ProfilePage, ProspectsPage, SignInPage

# Tuesday 24 November 2026, 10:05 in Helsinki: the 09:30 demo tour has begun.
MORNING = datetime(2026, 11, 24, 8, 5, tzinfo=UTC)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def findings():
    """What axe finds on the screens of a journey; none may be serious or critical."""
    found: list = []
    yield found
    assert found == [], "\n".join(str(f) for f in found)


@pytest.fixture
def demo_today(app, time_machine):
    time_machine.move_to(MORNING, tick=True)
    report = load_demo(MORNING.date())
    db.session.commit()
    return report


def test_the_agent_records_a_tour_from_the_phone(live_server, demo_today, phone, findings):
    """Sign in, see today's tours, open Sara's brief, record the tour with an objection,
    and see her stage and timeline change."""
    password = demo_today.staff[DEMO_AGENT_EMAIL]
    day = SignInPage(phone, live_server, findings).open().sign_in(DEMO_AGENT_EMAIL, password)
    assert any("Sara Demo" in card for card in day.tour_names())

    brief = day.open_brief("Sara Demo")
    capture = brief.record_the_tour()
    prospect = (
        capture.interest(4)
        .first_unit_shown()
        .objection("Price")
        .next_step("Second visit")
        .notes("Loved the balcony; asked about the hallway for the cat carrier.")
        .save()
    )

    assert prospect.stage() == "toured"
    timeline = prospect.timeline()
    assert "Tour recorded" in timeline
    assert "Objections: Price" in timeline
    assert "→ toured" in timeline, timeline
    expect(phone.locator(".flash")).to_contain_text("Tour recorded")


def test_the_agent_finds_prospects_and_makes_an_api_token(live_server, demo_today, phone, findings):
    """The prospects list filters by stage on the phone; a token made on the profile page
    opens the staff API with the agent's visibility."""
    import httpx

    password = demo_today.staff[DEMO_AGENT_EMAIL]
    SignInPage(phone, live_server, findings).open().sign_in(DEMO_AGENT_EMAIL, password)
    prospects = ProspectsPage(phone, live_server, findings).open()
    everyone = prospects.names()  # the newest page (the demo's sales history fills it)
    assert everyone
    leads = prospects.filter_by_stage("lead").names()
    assert leads
    assert leads != everyone  # the stage filter narrowed the list
    assert prospects.search("Sara").names() == ["Sara Demo"]
    prospects = ProspectsPage(phone, live_server, findings).open()

    secret = ProfilePage(phone, live_server, findings).open().create_token("Phone test")
    response = httpx.get(
        f"{live_server}/api/v1/staff/prospects",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 200
    assert {p["name"] for p in response.json()["items"]} == set(everyone)
