"""Details the journeys do not show by themselves: the focus ring's contrast on every
background, reflow at 320 px, the live region after a filter swap."""

import pytest
from playwright.sync_api import expect

from tests.browser.pages.listings import HomePage, ListingsIndex

# For every focusable control: focus it, read the ring's colour and the colour behind the
# ring (the first opaque background among its ancestors; the ring sits outside the control).
_RING_CONTRAST = """() => {
  const parse = c => { const m = c.match(/[\\d.]+/g).map(Number); return m.length > 3 ? m : [...m, 1]; };
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const behind = el => { for (let n = el.parentElement; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor); if (c[3] > 0.5) return c; } return [255, 255, 255, 1]; };
  const worst = [];
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
    if (!(el.offsetWidth || el.offsetHeight)) continue;
    el.focus({focusVisible: true});
    if (document.activeElement !== el) continue;
    const s = getComputedStyle(el);
    if (s.outlineStyle === 'none' || parseFloat(s.outlineWidth) < 2) { worst.push([el.outerHTML.slice(0, 80), 0]); continue; }
    const r = ratio(parse(s.outlineColor), behind(el));
    if (r < 3) worst.push([el.outerHTML.slice(0, 80), Math.round(r * 100) / 100]);
  }
  return worst;
}"""


@pytest.fixture
def keyboard_page(browser):
    """A desktop page whose focus is shown as to a keyboard user (focus-visible)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("path", ["/", "/listings/", "/me/sign-in", "/auth/login"])
def test_the_focus_ring_has_3_to_1_against_what_is_behind_it(live_server, demo, keyboard_page, path):
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
