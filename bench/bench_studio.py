"""The public listing page with studio content against the same page before the studio.

Same run, same machine: the baseline is the code of the commit before the studio landed
(``git archive`` of it into a temporary folder, with its own scratch database and demo),
the other server is this checkout with the demo's published revisions (sanitised HTML,
media with responsive sizes, panoramas, JSON-LD). Both run under gunicorn, 2 workers
each; rounds alternate between them and the floor is read on the median of the
per-round ratios. Floor: throughput at least 0.9 × the baseline's.

    python -m bench studio                      # baseline: the commit before the studio
    python -m bench studio --baseline <ref>     # any other commit
"""

import argparse
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
ROUNDS = 7
REQUESTS = 240  # per round and server
FLOOR = 0.9
FIRST_STUDIO_FILE = "portal/models/content.py"  # the studio's first commit adds it


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=PROJECT_DIR, check=True, capture_output=True, text=True
    ).stdout.strip()


def default_baseline() -> str:
    """The commit before the studio's first one."""
    added = _git("log", "--diff-filter=A", "--format=%H", "--", FIRST_STUDIO_FILE).splitlines()
    if not added:
        raise RuntimeError(f"{FIRST_STUDIO_FILE} is not in this history; pass --baseline")
    return _git("rev-parse", f"{added[-1]}^")


def checkout(ref: str, target: Path) -> Path:
    target.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", ref], cwd=PROJECT_DIR, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def prepare(code_dir: Path, workdir: Path, name: str) -> dict[str, str]:
    """A scratch database built by ``code_dir``'s own migrations and demo loader."""
    env = {
        "DATABASE_URL": f"sqlite:///{workdir / f'{name}.sqlite3'}",
        "SECRET_KEY": "bench-only",
        "PORTAL_ENV": "development",
        "MEDIA_DIR": str(workdir / f"{name}-media"),
        "RATELIMIT_ENABLED": "0",
    }
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for args in (["db", "upgrade"], ["demo", "load", "--if-empty"]):
        subprocess.run(
            [*flask, *args],
            cwd=code_dir,
            env={**os.environ, **env, "PYTHONPATH": str(code_dir)},
            check=True,
            capture_output=True,
        )
    return {**env, "PYTHONPATH": str(code_dir)}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench studio")
    parser.add_argument("--baseline", help="commit to compare with (default: before the studio)")
    options = parser.parse_args(argv or [])
    ref = options.baseline or default_baseline()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        old_dir = checkout(ref, work / "baseline")
        env_old = prepare(old_dir, work, "baseline")
        env_new = prepare(PROJECT_DIR, work, "studio")
        rounds: dict[str, list[Stats]] = {"before": [], "studio": []}
        with (
            gunicorn("wsgi:app", env=env_old, cwd=old_dir) as old_base,
            gunicorn("wsgi:app", env=env_new) as new_base,
        ):
            # The baseline has no sitemap; this checkout has: each server runs its own code.
            if httpx.get(f"{old_base}/sitemap.xml").status_code != 404:
                raise RuntimeError("the baseline server is not running the baseline's code")
            if httpx.get(f"{new_base}/sitemap.xml").status_code != 200:
                raise RuntimeError("the studio server has no sitemap")
            ids = [i["id"] for i in httpx.get(f"{new_base}/api/v1/listings").json()["items"]][:6]
            pages = [f"/listings/{i}" for i in ids]
            for i in range(ROUNDS):
                order = [("before", old_base), ("studio", new_base)]
                for name, base in order if i % 2 == 0 else reversed(order):
                    urls = [base + page for page in pages]
                    rounds[name].append(load(urls, concurrency=CONCURRENCY, requests=REQUESTS))
    before, studio = median_of_rounds(rounds["before"]), median_of_rounds(rounds["studio"])
    per_round = [
        ratio(a.per_second, b.per_second)
        for a, b in zip(rounds["studio"], rounds["before"], strict=True)
    ]
    throughput = statistics.median(per_round)
    rows = [
        {"listing page": f"before the studio ({ref[:10]})", **before, "vs before": 1.0},
        {"listing page": "with published studio content", **studio,
         "vs before": ratio(studio["req/s"], before["req/s"])},
    ]  # fmt: skip
    print_table(
        f"Listing detail pages over HTTP, gunicorn 2 workers each, {CONCURRENCY} clients, "
        f"median of {ROUNDS} alternating rounds of {REQUESTS} requests",
        rows,
    )
    print("per round studio/before: " + ", ".join(f"{r:.3f}" for r in per_round))
    passed = throughput >= FLOOR and before["errors"] == studio["errors"] == 0
    print(f"throughput studio/before, median of rounds {throughput:.3f} (floor {FLOOR}): "
          f"{'pass' if passed else 'FAIL'}")  # fmt: skip
    if not passed:
        raise RuntimeError(f"the listing page lost more than {1 - FLOOR:.0%} of its throughput")
    return {"baseline": ref, "rows": rows, "rounds": rounds, "per_round": per_round,
            "ratio": throughput}  # fmt: skip
