"""The marketer opens the funnel insights on a desktop and on a phone: readable, accessible."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from tests.browser.axe import serious_violations
from tests.factories import STAFF_PASSWORD, gen_staff
from tests.insights_data import build_world

SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def marketer(app):
    build_world(datetime.now(UTC))
    user = gen_staff("marketer")
    db.session.commit()
    return user


@pytest.mark.parametrize("screen", list(SCREENS))
def test_marketer_opens_insights(browser, live_server, marketer, screen):
    """Signed in through the form, the marketer sees charts and tables with no serious axe issue."""
    context = browser.new_context(viewport=SCREENS[screen])
    page = context.new_page()
    try:
        page.goto(f"{live_server}/auth/login")
        page.get_by_label("Email").fill(marketer.email)
        page.get_by_label("Password").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"{live_server}/studio/insights")
        assert page.get_by_role("heading", name="Funnel insights").is_visible()
        assert page.get_by_role("img", name="The funnel").is_visible()
        funnel = page.locator('table[data-table="funnel"]')
        assert funnel.locator("tfoot th").inner_text() == "All"
        assert page.get_by_role("region", name="Funnel: table").count() == 1
        assert serious_violations(page) == []
        # On a phone the page itself never scrolls sideways: wide tables scroll in their box.
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        page.get_by_label("Rows by").select_option("first_touch")
        page.get_by_role("button", name="Show").click()
        expect(page.get_by_role("columnheader", name="First-touch source").first).to_be_visible()
        assert "by=first_touch" in page.url
        assert serious_violations(page) == []
        with page.expect_download() as download:
            page.get_by_role("link", name="Download “Funnel” as CSV").click()
        assert download.value.suggested_filename.startswith("insights-funnel-")
    finally:
        context.close()
