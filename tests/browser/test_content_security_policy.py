"""The Content-Security-Policy blocks nothing of ours: htmx, the map and the beacon still run."""

import pytest
from playwright.sync_api import expect


@pytest.fixture
def violations(page):
    """CSP violations the browser reports on the page, and its console's CSP refusals."""
    seen: list[str] = []
    page.on(
        "console",
        lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " console.error('Content Security Policy violation: ' + e.violatedDirective"
        " + ' ' + e.blockedURI))"
    )
    return seen


def test_listing_pages_run_under_the_policy(live_server, demo, geo_region, page, violations):
    """Filtering (htmx) and the neighbourhood map (Leaflet) work and nothing is refused."""
    page.goto(f"{live_server}/listings/")
    total_before = page.locator("#results-title").inner_text()
    page.select_option("#bedrooms", "2")
    expect(page.locator("#results-title")).not_to_have_text(total_before)
    page.locator(".listing-card h3 a").first.click()
    expect(page.locator("#neighbourhood-map canvas").first).to_be_attached()
    assert violations == []


def test_commute_form_runs_under_the_policy(live_server, demo, geo_region, page, violations):
    """The htmx place form saves in place without any refused script or style."""
    page.goto(f"{live_server}/commute/")
    page.fill("#address", "Mannerheimintie 5")
    page.click("button:has-text('Add place')")
    expect(page.locator("#places-title")).to_have_text("1 place saved")
    assert violations == []


def test_tour_booking_runs_under_the_policy(live_server, demo, page, violations):
    """The booking picker (local times script) opens from a listing without refusals."""
    page.goto(f"{live_server}/listings/")
    page.locator(".listing-card h3 a").first.click()
    page.click("a:has-text('Book a tour')")
    expect(page.locator("h1")).to_be_visible()
    assert violations == []
