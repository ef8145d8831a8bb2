"""Listings index and listing detail under gunicorn, against the bare-Flask baseline."""

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from bench.common import Stats, median_of_rounds, print_table, ratio
from bench.server import PROJECT_DIR, gunicorn, load

CONCURRENCY = 8
# Alternating rounds with both servers up: on a busy machine the load drifts within a
# run, and rounds taken in turn see the same drift, so the ratios are of the same moment.
ROUNDS = 5
REQUESTS = 200
FLOOR = 0.5


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
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        env = prepare_database(Path(tmp))
        rounds: dict[str, list[Stats]] = {"baseline": [], "index": [], "detail": []}
        with gunicorn("bench.baseline_app:app") as bare, gunicorn("wsgi:app", env=env) as base:
            ids = [item["id"] for item in httpx.get(f"{base}/api/v1/listings").json()["items"]]
            urls = {
                "baseline": [f"{bare}/"],
                "index": [
                    f"{base}/listings/",
                    f"{base}/listings/?bedrooms=1&max_rent=2500",
                    f"{base}/listings/?page=2",
                ],
                "detail": [f"{base}/listings/{i}" for i in ids],
            }
            for n in range(ROUNDS):
                names = list(rounds) if n % 2 == 0 else list(reversed(rounds))
                for name in names:
                    stats = load(urls[name], concurrency=CONCURRENCY, requests=REQUESTS)
                    rounds[name].append(stats)
    medians = {name: median_of_rounds(stats) for name, stats in rounds.items()}
    per_round = {
        name: [
            ratio(page.per_second, bare.per_second)
            for page, bare in zip(rounds[name], rounds["baseline"], strict=True)
        ]
        for name in ("index", "detail")
    }
    labels = {
        "baseline": "baseline (bare Flask + Jinja)",
        "index": "listings index",
        "detail": "listing detail",
    }
    rows = [
        {
            "endpoint": labels[name],
            **medians[name],
            "throughput vs baseline": 1.0
            if name == "baseline"
            else statistics.median(per_round[name]),
        }
        for name in rounds
    ]
    print_table(
        f"Listings pages, gunicorn 2 workers each, {CONCURRENCY} clients, median of "
        f"{ROUNDS} alternating rounds of {REQUESTS} requests (ratios: median of the rounds')",
        rows,
    )
    for name in ("index", "detail"):
        print(f"per round {name}/baseline: " + ", ".join(f"{r:.2f}" for r in per_round[name]))
    print(
        f"load average (1, 5, 15 min) before {_load(load_before)}, after {_load(os.getloadavg())}"
    )
    passed = all(statistics.median(r) >= FLOOR for r in per_round.values())
    print(f"floor {FLOOR}x of the baseline: {'pass' if passed else 'FAIL'}")
    return {"rounds": rounds, "per_round": per_round, "rows": rows, "passed": passed}


def _load(averages: tuple[float, float, float]) -> str:
    return " ".join(f"{x:.2f}" for x in averages)
