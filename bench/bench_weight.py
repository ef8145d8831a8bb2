"""Bytes a listing page transfers in Chromium, today's code against an earlier commit, same run.

Both checkouts get their own SQLite database with the demo and the demo city imported
(`flask db upgrade`, `flask demo load`, `flask geo demo`), are served by gunicorn, and a
fresh Chromium context (empty cache) opens the same listing and waits until the map is
drawn. The figure is every response's transferred size (headers and encoded body).
`BENCH_BEFORE_REF` names the earlier commit (default: main before the screens work).
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from bench.common import print_table, ratio
from bench.server import PROJECT_DIR, gunicorn

BEFORE_REF = os.environ.get("BENCH_BEFORE_REF", "88dd449")
CHROMIUM = "/usr/bin/chromium"


def checkout(ref: str, into: Path) -> Path:
    """The tree of ``ref`` (git archive), without its history."""
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", ref], cwd=PROJECT_DIR, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def prepare(tree: Path, workdir: Path) -> dict[str, str]:
    """Database, demo and demo city for the code in ``tree``; the environment to serve it."""
    env = {
        "DATABASE_URL": f"sqlite:///{workdir / 'weight.sqlite3'}",
        "GEO_DATA_DIR": str(workdir / "geo"),
        "SECRET_KEY": "bench-only",
        "PORTAL_ENV": "development",
        "PYTHONPATH": str(tree),
        "RATELIMIT_ENABLED": "0",
    }
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for args in (["db", "upgrade"], ["demo", "load", "--if-empty"], ["geo", "demo"]):
        subprocess.run(
            [*flask, *args], cwd=tree, env={**os.environ, **env}, check=True, capture_output=True
        )
    return env


def page_weight(browser, url: str) -> dict:
    """Transferred bytes, request count and DOM size of ``url`` on a first visit."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    sizes: list[int] = []
    page.on("requestfinished", lambda r: sizes.append(_transferred(r)))
    page.goto(url, wait_until="load")
    page.wait_for_selector("#neighbourhood-map .leaflet-pane", state="attached")
    page.wait_for_load_state("networkidle")
    nodes = page.evaluate("document.getElementsByTagName('*').length")
    context.close()
    return {"bytes": sum(sizes), "requests": len(sizes), "dom nodes": nodes}


def _transferred(request) -> int:
    sizes = request.sizes()
    return sizes["responseHeadersSize"] + sizes["responseBodySize"]


def main() -> dict:
    from playwright.sync_api import sync_playwright

    results = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        trees = {
            f"before ({BEFORE_REF})": checkout(BEFORE_REF, Path(tmp) / "before"),
            "after (this checkout)": PROJECT_DIR,
        }
        for name, tree in trees.items():
            work = Path(tmp) / name.split()[0]
            work.mkdir(exist_ok=True)
            env = prepare(tree, work)
            with gunicorn("wsgi:app", env=env, cwd=tree) as base:
                unit_id = httpx.get(f"{base}/api/v1/listings").json()["items"][0]["id"]
                listing = page_weight(browser, f"{base}/listings/{unit_id}")
                map_bytes = len(httpx.get(f"{base}/listings/{unit_id}/map.json").content)
            results[name] = {**listing, "map.json bytes (uncompressed)": map_bytes}
        browser.close()
    before, after = results.values()
    rows = [
        {"code": name, **figures, "bytes vs before": ratio(figures["bytes"], before["bytes"])}
        for name, figures in results.items()
    ]
    print_table("A listing page on a first visit (390×844, Chromium, empty cache)", rows)
    verdict = "pass" if after["bytes"] <= 0.5 * before["bytes"] else "FAIL"
    print(f"floor: after ≤ 50 % of before: {ratio(after['bytes'], before['bytes']):.2f} {verdict}")
    return {"rows": rows}
