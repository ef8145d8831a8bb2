"""Details the journeys do not show by themselves: the focus ring's contrast on every
background, reflow at 320 px, the live region after a filter swap."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import page_script
from tests.browser.pages.listings import HomePage, ListingsIndex

_RING_CONTRAST = page_script("ring_contrast.js")


@pytest.fixture
def keyboard_page(browser):
    """A desktop page whose focus is shown as to a keyboard user (focus-visible)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("path", ["/", "/listings/", "/me/sign-in", "/auth/login"])
def test_the_focus_ring_has_3_to_1_against_what_is_behind_it(
    live_server, demo, keyboard_page, path
):
    """WCAG 1.4.11: the ring of every control, header links included, is at least 3:1."""
    keyboard_page.goto(f"{live_server}{path}")
    keyboard_page.keyboard.press("Tab")  # from now on focus is shown as to a keyboard user
    assert keyboard_page.evaluate(_RING_CONTRAST) == []


@pytest.fixture
def narrow(browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    yield page
    context.close()


def test_every_public_screen_reflows_at_320_px(live_server, demo, geo_region, narrow):
    """No page is wider than a 320 px viewport (the neighbourhood table scrolls inside
    its own labelled region)."""
    unit_id = None
    for path in ["/", "/listings/", "/commute/", "/me/priorities", "/me/sign-in", "/auth/login"]:
        narrow.goto(f"{live_server}{path}")
        width = narrow.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width} px wide"
        if path == "/listings/":
            unit_id = narrow.locator(".listing-card h3 a").first.get_attribute("href")
    for path in [unit_id, f"/tours/book/{unit_id.rsplit('/', 1)[-1]}?type=guided"]:
        narrow.goto(f"{live_server}{path}")
        expect(narrow.locator("#neighbourhood-map, #picker").first).to_be_attached()
        width = narrow.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width} px wide"


def test_a_filter_swap_is_announced_without_moving_focus(live_server, demo, audited):
    """Changing a filter keeps focus on the filter and the live region says how many homes."""
    HomePage.open(audited, live_server)
    index = ListingsIndex.open(audited, live_server)
    audited.locator("#bedrooms").focus()
    index.filter(bedrooms="3")
    expect(audited.locator("#bedrooms")).to_be_focused()
    assert index.announced().endswith("found")


def test_the_privacy_page_answer_takes_focus(live_server, audited):
    """On the privacy choices page the answer replaces the buttons and takes the focus."""
    audited.goto(f"{live_server}/me/consent")
    audited.audit.check("privacy choices")
    audited.locator("main").get_by_role("button", name="Allow").click()
    expect(audited.locator("main .consent-saved a")).to_be_focused()
    audited.audit.check("privacy choices, answered")
