"""Browser journeys: the real app served on loopback, driven by Playwright in Debian's Chromium.

Playwright cannot download browsers here; it drives /usr/bin/chromium (`make test`
installs Debian's package when it is missing and it can).
"""

import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.browser import axe
from tests.loopback_servers import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which("chromium") and not shutil.os.path.exists(CHROMIUM):
        message = (
            "BROWSER JOURNEYS NOT RUN: Debian's chromium is not installed "
            "(apt-get install -y chromium, or `make chromium`)"
        )
        if chromium_missing_is_an_error():
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    """The test app served by a real HTTP server in a thread; yields its base URL."""
    app.config["SERVER_NAME"] = None  # the browser's Host is 127.0.0.1 (trusted in development)
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_port}"
    app.config["PORTAL_BASE_URL"] = base_url  # links in mail lead back to this server
    yield base_url
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


# --- Screens at two sizes, audited after every navigation -------------------------------
# Other areas reuse these: request `screen` (parametrised over both sizes) or `audited`
# (one size) and build page objects from tests/browser/pages/ (each audits on arrival).

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}
# A shared 2-core CI machine can take seconds for a page with routing: wait longer than
# Playwright's 5 s before calling an expectation failed.
expect.set_options(timeout=15_000)


def page_script(name: str) -> str:
    """A function from tests/browser/js/ for ``page.evaluate`` (its leading comment cut)."""
    text = (Path(__file__).parent / "js" / name).read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.startswith("//"))


_LAYOUT_CHECK = page_script("layout_check.js")


class ScreenAudit:
    """axe-core plus the focus-obscured and reflow checks, run on the page as it is now.

    ``check()`` raises on a serious or critical axe violation, a focused control hidden
    under a fixed or sticky element, or a page wider than its viewport. The fixture
    fails a test that navigated to a document it never checked.
    """

    def __init__(self, page, size: str):
        self.page = page
        self.size = size
        self.navigations = 0
        self.checked_navigation = -1
        self.checked: list[str] = []
        self.last_url = ""
        page.on("load", self._loaded)  # a new document (htmx's pushState is not one)

    def _loaded(self, page) -> None:
        self.navigations += 1
        self.last_url = page.url

    def check(self, label: str = "") -> dict:
        page = self.page
        page.wait_for_load_state("load")
        results = axe.violations(page)
        bad = [v for v in results if v["impact"] in axe.BLOCKING]
        layout = page.evaluate(_LAYOUT_CHECK)
        where = f"{label or page.url} at {self.size}"
        assert not bad, (
            f"axe: serious or critical violations on {where}: {json.dumps(bad, indent=1)}"
        )
        assert not layout["hidden"], (
            f"focused controls hidden under a sticky element on {where}: {layout['hidden']}"
        )
        # Against the configured width: a mobile browser widens its layout viewport to
        # fit content that overflows, so innerWidth would grow with the page.
        width = VIEWPORTS[self.size]["width"]
        assert layout["pageWidth"] <= width, (
            f"{where} is {layout['pageWidth']} px wide in a {width} px viewport"
        )
        self.checked_navigation = self.navigations
        self.checked.append(page.url)
        return {"violations": results, **layout}

    def assert_every_navigation_checked(self) -> None:
        assert self.checked_navigation == self.navigations, (
            f"{self.last_url} was opened but never checked: build its page object "
            "(tests/browser/pages/) after every navigation"
        )


def _new_context(browser, size: str):
    viewport = VIEWPORTS[size]
    phone = size == "phone"
    return browser.new_context(
        viewport=viewport,
        device_scale_factor=3 if phone else 1,
        is_mobile=phone,
        has_touch=phone,
    )


@pytest.fixture(params=sorted(VIEWPORTS))
def screen(request, browser):
    """A page at desktop (1280×900) and phone (390×844) size with its ``ScreenAudit``
    as ``page.audit``; the test fails if it left a navigated document unchecked."""
    context = _new_context(browser, request.param)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.audit = ScreenAudit(page, request.param)
    yield page
    try:
        page.audit.assert_every_navigation_checked()
    finally:
        context.close()


@pytest.fixture
def audited(browser):
    """The same at desktop size only (for journeys whose layout a phone does not change)."""
    context = _new_context(browser, "desktop")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.audit = ScreenAudit(page, "desktop")
    yield page
    try:
        page.audit.assert_every_navigation_checked()
    finally:
        context.close()


def chromium_missing_is_an_error() -> bool:
    """In CI a missing Chromium fails the run instead of skipping the journeys."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")
