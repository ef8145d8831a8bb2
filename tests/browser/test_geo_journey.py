"""A visitor adds a place and reads the neighbourhood map, all offline, in a real browser."""

from playwright.sync_api import expect


def test_adding_a_place_shows_minutes_on_the_cards(live_server, demo, geo_region, page):
    """The htmx form saves the place in place; the listings then show commute minutes."""
    page.goto(f"{live_server}/commute/")
    page.fill("#address", "Mannerheimintie")
    expect(page.locator("#address-suggestions option").first).to_be_attached()
    page.fill("#address", "Mannerheimintie 5")
    page.click("button:has-text('Add place')")
    expect(page.locator("#places-title")).to_have_text("1 place saved")
    page.goto(f"{live_server}/listings/")
    expect(page.locator(".commute-list").first).to_contain_text("Work: walk")


def test_neighbourhood_map_draws_local_data_offline(live_server, demo, geo_region, page):
    """Streets and places are vector layers from our own data; nothing leaves the server."""
    foreign = []
    page.on(
        "request",
        lambda r: foreign.append(r.url) if not r.url.startswith(live_server) else None,
    )
    page.goto(f"{live_server}/listings/")
    page.locator(".listing-card h3 a").first.click()
    expect(page.locator("#neighbourhood-map canvas").first).to_be_attached()
    # One canvas, not an SVG node per street: the whole map is a few dozen elements.
    nodes = page.eval_on_selector("#neighbourhood-map", "el => el.querySelectorAll('*').length")
    assert nodes < 120
    expect(page.locator("#map-places li").first).to_be_attached()
    expect(page.locator("#neighbourhood-map .leaflet-control-attribution")).to_contain_text(
        "© OpenStreetMap contributors"
    )
    expect(page.locator("h2", has_text="The neighbourhood")).to_be_visible()
    expect(page.locator("h2", has_text="Internet")).to_be_visible()
    assert foreign == []
