"""What the security headers and rate limits cost on the listings page, on vs off in one run.

Over HTTP: two gunicorn servers on the same scratch database (demo loaded), `wsgi:app`
as deployed (headers and limits on) and `bench.headers_off_app:app` (both off). Rounds
alternate between them so a busy moment of the shared machine hits both alike; the
medians are compared. Floor: with headers and limits on, throughput is at least 95 %
of off.

The floor is read on the median of the per-round on/off ratios (each round pairs two
runs seconds apart), which one noisy round cannot move.

In-process: the headers alone (the rate limiter is one object per process, so both
apps share its on/off), two apps with requests interleaved one by one, so machine
noise cancels out.
"""

import statistics
import tempfile
import time
from pathlib import Path

import httpx

from bench.bench_listings import prepare_database
from bench.common import Stats, median_of_rounds, print_table, ratio
from bench.server import gunicorn, load

CONCURRENCY = 8
ROUNDS = 7
REQUESTS = 300  # per round and server
IN_PROCESS_REQUESTS = 400  # per app
FLOOR = 0.95
PAGES = ["/listings/", "/listings/?bedrooms=1&max_rent=2500", "/listings/?page=2"]


def _check_headers(base: str, expect_on: bool) -> None:
    headers = httpx.get(f"{base}/listings/").headers
    if ("content-security-policy" in headers) != expect_on:
        raise RuntimeError(f"{base}: security headers {'missing' if expect_on else 'present'}")


def over_http(env: dict[str, str]) -> dict[str, list[Stats]]:
    rounds: dict[str, list[Stats]] = {"off": [], "on": []}
    with (
        gunicorn("bench.headers_off_app:app", env=env) as off_base,
        gunicorn("wsgi:app", env=env) as on_base,
    ):
        _check_headers(off_base, expect_on=False)
        _check_headers(on_base, expect_on=True)
        for i in range(ROUNDS):
            # Alternate which goes first so neither always follows the other.
            order = [("off", off_base), ("on", on_base)]
            for name, base in order if i % 2 == 0 else reversed(order):
                urls = [base + page for page in PAGES]
                rounds[name].append(load(urls, concurrency=CONCURRENCY, requests=REQUESTS))
    return rounds


def in_process(database_url: str) -> dict[str, Stats]:
    from portal import create_app

    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-only"}
    clients = {
        "off": create_app({**settings, "SECURITY_HEADERS_ENABLED": False}).test_client(),
        "on": create_app(settings).test_client(),
    }
    samples: dict[str, list[float]] = {"on": [], "off": []}
    for i in range(IN_PROCESS_REQUESTS + 20):
        for name in ("on", "off") if i % 2 else ("off", "on"):
            t0 = time.perf_counter()
            response = clients[name].get(PAGES[i % len(PAGES)])
            elapsed = time.perf_counter() - t0
            if response.status_code != 200:
                raise RuntimeError(f"{name}: {response.status_code}")
            if i >= 20:  # the first requests warm templates and caches
                samples[name].append(elapsed)
    return {name: Stats.from_seconds(s) for name, s in samples.items()}


def main() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = prepare_database(Path(tmp))
        local = in_process(env["DATABASE_URL"])
        rounds = over_http(env)
    off, on = median_of_rounds(rounds["off"]), median_of_rounds(rounds["on"])
    pairs = zip(rounds["on"], rounds["off"], strict=True)
    per_round = [ratio(a.per_second, b.per_second) for a, b in pairs]
    throughput = statistics.median(per_round)
    on_vs_off = ratio(on["req/s"], off["req/s"])
    rows = [
        {"listings index": "headers and limits off (baseline)", **off, "vs off": 1.0},
        {"listings index": "headers and limits on", **on, "vs off": on_vs_off},
    ]
    print_table(
        f"Security headers and limits over HTTP, gunicorn 2 workers each, {CONCURRENCY} "
        f"clients, median of {ROUNDS} alternating rounds of {REQUESTS} requests",
        rows,
    )
    print("per round on/off: " + ", ".join(f"{r:.3f}" for r in per_round))
    p50_ratio = ratio(local["on"].p50_ms, local["off"].p50_ms)
    print_table(
        f"Headers alone, in-process, {IN_PROCESS_REQUESTS} interleaved requests per app",
        [
            {"listings index": name, "p50 ms": s.p50_ms, "p95 ms": s.p95_ms}
            for name, s in (("headers off", local["off"]), ("headers on", local["on"]))
        ]
        + [{"listings index": "on/off p50", "p50 ms": p50_ratio, "p95 ms": ""}],
    )
    passed = throughput >= FLOOR and off["errors"] == on["errors"] == 0
    verdict = "pass" if passed else "FAIL"
    print(f"throughput on/off, median of rounds {throughput:.3f} (floor {FLOOR}): {verdict}")
    if not passed:
        raise RuntimeError(f"headers and limits cost more than {1 - FLOOR:.0%} of throughput")
    return {
        "rows": rows,
        "rounds": rounds,
        "ratio": throughput,
        "per_round": per_round,
        "in_process": local,
        "in_process_p50_ratio": p50_ratio,
    }
