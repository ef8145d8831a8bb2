"""Listings index and listing detail under gunicorn, against the bare-Flask baseline."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from bench.common import print_table, ratio
from bench.server import PROJECT_DIR, gunicorn, load

CONCURRENCY = 8
REQUESTS = 600


def prepare_database(workdir: Path) -> dict[str, str]:
    """A scratch database with the demo loaded, exactly as `make run` builds it."""
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = {"DATABASE_URL": url, "SECRET_KEY": "bench-only", "PORTAL_ENV": "development"}
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for args in (["db", "upgrade"], ["demo", "load", "--if-empty"]):
        subprocess.run(
            [*flask, *args],
            cwd=PROJECT_DIR,
            env={**os.environ, **env},
            check=True,
            capture_output=True,
        )
    return env


def main() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = prepare_database(Path(tmp))
        with gunicorn("bench.baseline_app:app") as base:
            baseline = load([f"{base}/"], concurrency=CONCURRENCY, requests=REQUESTS)
        with gunicorn("wsgi:app", env=env) as base:
            ids = [item["id"] for item in httpx.get(f"{base}/api/v1/listings").json()["items"]]
            index = load(
                [
                    f"{base}/listings/",
                    f"{base}/listings/?bedrooms=1&max_rent=2500",
                    f"{base}/listings/?page=2",
                ],
                concurrency=CONCURRENCY,
                requests=REQUESTS,
            )
            detail = load(
                [f"{base}/listings/{i}" for i in ids], concurrency=CONCURRENCY, requests=REQUESTS
            )
    rows = []
    for name, stats in (
        ("baseline (bare Flask + Jinja)", baseline),
        ("listings index", index),
        ("listing detail", detail),
    ):
        rows.append(
            {
                "endpoint": name,
                "req/s": stats.per_second,
                "p50 ms": stats.p50_ms,
                "p95 ms": stats.p95_ms,
                "errors": stats.errors,
                "throughput vs baseline": ratio(stats.per_second, baseline.per_second),
                "p95 vs baseline": ratio(stats.p95_ms, baseline.p95_ms),
            }
        )
    print_table(
        f"Listings pages, gunicorn 2 workers, {CONCURRENCY} clients, {REQUESTS} requests", rows
    )
    return {"baseline": baseline, "index": index, "detail": detail, "rows": rows}
