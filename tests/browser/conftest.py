"""Browser journeys: the real app served on loopback, driven by Playwright in Debian's Chromium.

Playwright cannot download browsers here; it drives /usr/bin/chromium (`make test`
installs Debian's package when it is missing and it can).
"""

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import free_port

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
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
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
