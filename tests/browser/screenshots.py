"""`make screenshots`: the key pages at desktop and phone size, into screenshots/ (git-ignored).

Runs the demo in a scratch SQLite database with the demo city imported, serves it on a
free loopback port and saves full-page PNGs named <page>-<size>.png.
"""

import os
import sys
import tempfile
import threading
from datetime import date
from pathlib import Path

from werkzeug.serving import make_server

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS
from tests.loopback_servers import free_port

OUT = Path(__file__).resolve().parents[2] / "screenshots"


def _demo_app(workdir: Path):
    from portal import create_app
    from portal.config import Config
    from portal.demo.loader import load_demo
    from portal.extensions import db
    from portal.geo.importer import prepare_region, store_region

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'shots.sqlite3'}",
            "GEO_DATA_DIR": str(workdir / "geo"),
            "RATELIMIT_ENABLED": False,
            "JOBS_BACKEND": "sync",
            "GEO_NEIGHBOURHOOD_ON_SAVE": False,
        }
    )
    with app.app_context():
        db.create_all()
        report = load_demo(date.today())
        db.session.commit()
        store_region("helsinki", prepare_region(Config.DEMO_PBF, workdir / "geo", "helsinki"))
        db.session.commit()
    return app, report


def main() -> int:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        print("Screenshots need Debian's chromium (apt-get install -y chromium).", file=sys.stderr)
        return 1
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app, report = _demo_app(Path(tmp))
        server = make_server("127.0.0.1", free_port(), app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for size, viewport in VIEWPORTS.items():
                context = browser.new_context(viewport=viewport, is_mobile=size == "phone")
                page = context.new_page()
                page.goto(f"{base}/listings/")
                detail = page.locator(".listing-card h3 a").first.get_attribute("href")
                unit_id = detail.rsplit("/", 1)[-1]
                shots = {
                    "home": "/",
                    "listings": "/listings/",
                    "listing": detail,
                    "booking": f"/tours/book/{unit_id}?type=guided",
                    "places": "/commute/",
                    "priorities": "/me/priorities",
                    "sign-in": "/me/sign-in",
                    "staff-sign-in": "/auth/login",
                }
                for name, path in shots.items():
                    page.goto(base + path)
                    if name == "listing":
                        page.locator("#neighbourhood-map canvas").first.wait_for(state="attached")
                    page.screenshot(path=OUT / f"{name}-{size}.png", full_page=True)
                page.goto(f"{base}/auth/login")
                page.fill("#email", "admin@doorstep.example")
                page.fill("#password", report.staff["admin@doorstep.example"])
                page.locator("main form [type=submit]").click()
                page.goto(f"{base}/staff/tours")
                page.screenshot(path=OUT / f"staff-tours-{size}.png", full_page=True)
                context.close()
            browser.close()
        server.shutdown()
    print(f"Screenshots in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
