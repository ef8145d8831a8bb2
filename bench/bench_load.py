"""Mixed traffic against gunicorn + PostgreSQL + Redis, then the same run with Redis killed halfway.

python -m bench load                 # 180 s per run (two runs, plus ~1 min set-up each)
python -m bench load --quick         # 20 s per run, to try it
python -m bench load --seconds 60 --clients 8 --workers 4 --think-ms 50 --seed 1

Both runs build the deployment afresh (bench/load_stack.py: the database reset and
migrated, the demo loaded, Redis, the jobs worker, an SMTP sink, gunicorn in production
mode) and send the same seeded mix of visits (bench/load_traffic.py). The second run
SIGKILLs redis-server at half time. Afterwards the database is asked directly whether
every tour a client was told it booked exists, and shows each cancel, confirmation and
move the client was told succeeded.

Fails (exit 1) on any error in the baseline run, any 5xx or unanswered request in the
fault run, or any lost booking or change in either.
"""

import argparse
import tempfile
import threading
import time
from pathlib import Path

import httpx
import sqlalchemy as sa
from redis import Redis
from rq import Queue
from rq.registry import StartedJobRegistry

from bench.common import RESULTS_DIR, print_table, save_results
from bench.load_report import by_endpoint, failures, fault_rows, markdown_table, run_rows
from bench.load_stack import Stack, ensure_database, running_stack
from bench.load_traffic import Booking, Site, run_visitors
from portal.jobs import QUEUE_NAME

DESTINATION_COUNT = 12
MAIL_SETTLE_SECONDS = 30
# Lines of the gunicorn log worth counting: the two fallbacks, and Flask's log of a 500.
LOG_LINES = {
    "limits in memory": "falling back to in-memory storage",
    "jobs in process": "Redis unreachable: job",
    "unhandled exceptions": "Exception on ",
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--seconds", type=float, default=180, help="length of each run")
    parser.add_argument("--quick", action="store_true", help="20 s per run (overrides --seconds)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent visitors")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--think-ms", type=float, default=50, help="max pause between requests")
    parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same mix")
    parser.add_argument(
        "--warmup", type=float, default=15, help="untimed traffic first (workers load templates)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.warmup = 20, 5
    return args


def discover(stack: Stack) -> Site:
    """Listings, communities and commute destinations that resolve (untimed)."""
    listings: dict[int, tuple[float, float]] = {}
    with httpx.Client(base_url=stack.base, timeout=30) as client:
        page, pages = 1, 1
        while page <= pages:
            answer = client.get(f"/api/v1/listings?page={page}").raise_for_status().json()
            for item in answer["items"]:
                listings[item["id"]] = (item["property"]["lat"], item["property"]["lon"])
            pages, page = answer["pages"], page + 1
        destinations = []
        for address in _addresses(stack.database_url):
            if client.get("/api/v1/geocode", params={"q": address}).status_code == 200:
                destinations.append(address)
            if len(destinations) == DESTINATION_COUNT:
                break
    engine = sa.create_engine(stack.database_url)
    with engine.connect() as conn:
        property_ids = list(conn.scalars(sa.text("SELECT id FROM property ORDER BY id")))
    engine.dispose()
    if not destinations:
        raise RuntimeError("no demo address resolves; is the geo demo imported?")
    return Site(
        stack.base, listings, property_ids, destinations, stack.staff, stack.smtp.confirm_paths.get
    )


def _addresses(url: str) -> list[str]:
    """Every 37th address of the gazetteer: spread over the extract, the same each run."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT street, housenumber FROM geo_address ORDER BY id")
        ).all()
    engine.dispose()
    return [f"{street} {number}" for street, number in rows[::37]]


def wait_for_idle_jobs(stack: Stack, timeout: float = 120) -> None:
    """Let the worker finish the demo's neighbourhood job before the clock starts."""
    connection = Redis.from_url(stack.env["REDIS_URL"])
    queue = Queue(QUEUE_NAME, connection=connection)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if queue.count == 0 and StartedJobRegistry(queue=queue).count == 0:
            return
        time.sleep(0.5)
    raise RuntimeError("the jobs worker did not finish its start-up jobs")


def check_bookings(url: str, bookings: list[Booking]) -> dict[str, int]:
    """Ask the database whether every acknowledged booking and change is there."""
    if not bookings:
        return {"lost bookings": 0, "lost changes": 0}
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = {
            token: (status, starts_at, email_confirmed_at)
            for token, status, starts_at, email_confirmed_at in conn.execute(
                sa.text(
                    "SELECT token, status, starts_at, email_confirmed_at FROM tour "
                    "WHERE token = ANY(:tokens)"
                ),
                {"tokens": [b.token for b in bookings]},
            )
        }
    engine.dispose()
    lost_bookings = lost_changes = 0
    for b in bookings:
        if b.token not in rows:
            lost_bookings += 1
            continue
        status, starts_at, email_confirmed_at = rows[b.token]
        if (
            b.cancelled != status.startswith("cancelled")
            or (b.confirmed and (status == "requested" or email_confirmed_at is None))
            or starts_at.strftime("%Y-%m-%dT%H:%M:%SZ") != b.start
        ):
            lost_changes += 1
    return {"lost bookings": lost_bookings, "lost changes": lost_changes}


def mail_state(stack: Stack) -> dict[str, int]:
    """Outbox rows by status once delivery has had time to catch up, and what SMTP got."""
    engine = sa.create_engine(stack.database_url)
    query = sa.text("SELECT status, count(*) FROM outbox_email GROUP BY status")
    deadline = time.monotonic() + MAIL_SETTLE_SECONDS
    while True:
        with engine.connect() as conn:
            counts = dict(conn.execute(query).all())
        if not counts.get("queued") or time.monotonic() > deadline:
            break
        time.sleep(1)
    engine.dispose()
    return {**counts, "smtp received": stack.smtp.received}


def one_run(workdir: Path, label: str, args: argparse.Namespace, kill_at: float | None) -> dict:
    """Build the stack, send the traffic (killing Redis at ``kill_at`` s), then check."""
    log_dir = RESULTS_DIR / "load-logs"
    with running_stack(workdir, log_dir, workers=args.workers, label=label) as stack:
        wait_for_idle_jobs(stack)
        site = discover(stack)
        warm, _ = run_visitors(
            site,
            clients=args.clients,
            seconds=args.warmup,
            label=f"{label}-warmup",
            seed=args.seed + 7919,
            think_seconds=args.think_ms / 1000,
        )
        print(
            f"[{label}] {args.clients} clients for {args.seconds:g} s"
            + (f", Redis killed at {kill_at:g} s" if kill_at is not None else "")
        )
        killer = threading.Timer(kill_at, stack.kill_redis) if kill_at is not None else None
        if killer:
            killer.start()
        visitors, started = run_visitors(
            site,
            clients=args.clients,
            seconds=args.seconds,
            label=label,
            seed=args.seed,
            think_seconds=args.think_ms / 1000,
        )
        elapsed = time.perf_counter() - started
        if killer:
            killer.cancel()
        killed_redis = stack.redis_killed_at is not None
        counters = stack.limit_counters_at_kill if killed_redis else stack.limit_counters()
        samples = [s for v in visitors for s in v.samples]
        # Warm-up bookings were acknowledged too, so they must be there as well.
        bookings = [b for v in [*warm, *visitors] for b in v.bookings]
        lost = check_bookings(stack.database_url, bookings)
        mail = mail_state(stack)
        log = stack.logs["gunicorn"].read_text(errors="replace")
        killed = stack.redis_killed_at - started if stack.redis_killed_at else None
    healthz: dict[str, int] = {}
    for v in visitors:
        for state, n in v.healthz.items():
            healthz[state] = healthz.get(state, 0) + n
    return {
        "label": label,
        "seconds": elapsed,
        "figures": by_endpoint(samples),
        "before_kill": by_endpoint(s for s in samples if killed is not None and s.at < killed),
        "after_kill": by_endpoint(s for s in samples if killed is not None and s.at >= killed),
        "redis_killed_at_s": killed,
        "limit_counters_in_redis": counters,  # at the end, or when Redis was killed
        "bookings": len(bookings),
        "cancelled": sum(b.cancelled for b in bookings),
        "lost": lost,
        "mail": mail,
        "healthz_redis": healthz,
        "crashes": [c for v in visitors for c in v.crashes],
        "log": {what: log.count(line) for what, line in LOG_LINES.items()},
        "visits": sum(v.visits for v in visitors),
    }


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv or [])
    ensure_database()
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        baseline = one_run(Path(tmp), "baseline", args, kill_at=None)
        fault = one_run(Path(tmp), "fault", args, kill_at=args.seconds / 2)
    setting = (
        f"{args.clients} clients, gunicorn {args.workers} workers, {args.seconds:g} s per run "
        f"after {args.warmup:g} s warm-up, think time 0-{args.think_ms:g} ms, seed {args.seed}"
    )
    for run in (baseline, fault):
        print_table(f"{run['label']} run: {setting}", run_rows(run["figures"], run["seconds"]))
        print(
            f"{run['visits']} visits, {run['bookings']} tours booked ({run['cancelled']} then "
            f"cancelled), {run['lost']}, mail {run['mail']}, "
            f"/healthz redis {run['healthz_redis']}, gunicorn log {run['log']}, "
            f"{run['limit_counters_in_redis']} rate-limit counters in Redis "
            f"{'when killed' if run['redis_killed_at_s'] is not None else 'at the end'}"
        )
        for crash in run["crashes"][:5]:
            print(f"  load generator: {crash}")
    rows = fault_rows(
        baseline["figures"], fault["figures"], fault["before_kill"], fault["after_kill"]
    )
    killed = fault["redis_killed_at_s"]
    when = f"SIGKILLed at {killed:.1f} s" if killed is not None else "NOT killed"
    print_table(f"fault run, Redis {when}: p95 vs the baseline", rows)
    problems = failures(
        baseline["figures"],
        fault["figures"],
        {"baseline": baseline["lost"], "fault": fault["lost"]},
        crashes=len(baseline["crashes"]) + len(fault["crashes"]),
        unhandled=baseline["log"]["unhandled exceptions"] + fault["log"]["unhandled exceptions"],
    )
    if killed is None:
        problems.append("fault run: Redis was never killed")
    result = {
        "setting": setting,
        "baseline": baseline,
        "fault": fault,
        "fault_rows": rows,
        "markdown": {
            "baseline": markdown_table(run_rows(baseline["figures"], baseline["seconds"])),
            "fault": markdown_table(run_rows(fault["figures"], fault["seconds"])),
            "fault_vs_baseline": markdown_table(rows),
        },
        "failures": problems,
    }
    save_results("load", result)
    print("verdict: " + ("; ".join(problems) if problems else "pass (0 5xx, 0 lost bookings)"))
    if problems:
        raise AssertionError("; ".join(problems))
    return result
