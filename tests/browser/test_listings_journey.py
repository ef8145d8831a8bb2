"""A visitor filters homes in a real browser: htmx swaps the results in place."""

from playwright.sync_api import expect


def test_filtering_swaps_results_without_reloading(live_server, demo, page):
    """Changing a filter updates the list and the address bar, without a page load."""
    page.goto(f"{live_server}/listings/")
    page.evaluate("window.__sameDocument = true")
    total_before = page.locator("#results-title").inner_text()

    page.select_option("#bedrooms", "3")

    expect(page.locator("#results-title")).not_to_have_text(total_before)
    assert page.evaluate("window.__sameDocument") is True  # no full reload happened
    assert "bedrooms=3" in page.url
    cards = page.locator(".listing-card h3")
    assert cards.count() > 0
    assert all("3-bedroom" in t for t in cards.all_inner_texts())


def test_bad_rent_is_stopped_in_the_browser(live_server, demo, page):
    """The rent field carries its limits, so the browser flags -20 before sending anything."""
    page.goto(f"{live_server}/listings/")
    page.fill("#max_rent", "-20")
    assert page.eval_on_selector("#max_rent", "el => el.checkValidity()") is False


def test_bad_rent_in_a_shared_link_is_explained(live_server, demo, page):
    """A hand-edited address with a bad rent shows the validation message, not an error page."""
    page.goto(f"{live_server}/listings/?max_rent=-20")
    expect(page.locator(".notice-error")).to_contain_text("Enter a rent between")
    expect(page.locator("#max_rent")).to_have_attribute("aria-invalid", "true")


def test_listing_detail_opens_from_a_card(live_server, demo, page):
    """Clicking a card opens the detail page with the window view and floor plan."""
    page.goto(f"{live_server}/listings/")
    page.locator(".listing-card h3 a").first.click()
    expect(page.locator("h2", has_text="The view from the window")).to_be_visible()
    expect(page.locator("h2", has_text="Floor plan")).to_be_visible()
