"""The booking race: 200 concurrent clients for 20 slots over HTTP, SQLite and PostgreSQL.

Floors (the benchmark fails when one is missed): exactly 20 bookings, 180 clean 409s,
0 errors and 0 double-booked slots, on each database. Booking and slot-list latency
are reported next to the same-run bare-Flask baseline.
"""

import asyncio
import os
import secrets
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

import httpx
import sqlalchemy as sa

from bench.common import Stats, print_table, ratio
from bench.server import gunicorn, load

CLIENTS = 200
SLOTS = 20
WORKERS = 4
ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _app(url: str):
    from portal import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-only"})


def seed(url: str) -> int:
    """Schema plus one listing whose one agent offers 30-minute guided tours 8-20 daily."""
    from portal.auth.services import create_staff
    from portal.extensions import db
    from portal.models import AgentHours, OpeningHours, Property, PropertyAgent, TourType, Unit

    app = _app(url)
    with app.app_context():
        db.create_all()
        prop = Property(
            slug="race",
            name="Race Court",
            street="Annankatu",
            housenumber="1",
            postcode="00100",
            city="Helsinki",
            lat=60.1674,
            lon=24.9366,
            time_zone="Europe/Helsinki",
        )
        db.session.add(prop)
        db.session.flush()
        unit = Unit(
            property_id=prop.id,
            number="A 1",
            floor=1,
            bedrooms=1,
            bathrooms=1,
            area_m2=40,
            rent_eur=1200,
            available_from=datetime.now(UTC).date(),
            orientation="S",
            view="Yard",
            status="available",
        )
        agent = create_staff(
            "race-agent@doorstep.example", "Race Agent", "agent", secrets.token_hex(8)
        )
        db.session.add_all([unit, PropertyAgent(property_id=prop.id, staff_id=agent.id)])
        db.session.add(
            TourType(
                property_id=prop.id,
                kind="guided",
                name="Guided tour",
                duration_minutes=30,
                interval_minutes=30,
                min_notice_minutes=0,
                horizon_days=7,
            )
        )
        for weekday in range(7):
            db.session.add(
                OpeningHours(property_id=prop.id, weekday=weekday, opens=clock(8), closes=clock(20))
            )
            db.session.add(
                AgentHours(staff_id=agent.id, weekday=weekday, starts=clock(8), ends=clock(20))
            )
        db.session.commit()
        unit_id = unit.id
        db.session.remove()
        db.engine.dispose()
    return unit_id


def double_bookings(url: str) -> tuple[int, int]:
    """(tours, slots held by more than one active tour) straight from the database."""
    from portal.extensions import db
    from portal.models import Tour

    app = _app(url)
    with app.app_context():
        total = db.session.scalar(sa.select(sa.func.count(Tour.id)))
        dupes = db.session.execute(
            sa.select(Tour.agent_id, Tour.starts_at)
            .group_by(Tour.agent_id, Tour.starts_at)
            .having(sa.func.count() > 1)
        ).all()
        db.session.remove()
        db.engine.dispose()
    return total, len(dupes)


async def _race(base: str, unit_id: int, starts: list[str]) -> tuple[dict[int, int], Stats]:
    samples: list[float] = []
    statuses: dict[int, int] = {}
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(limits=limits, timeout=120) as client:

        async def book(n: int) -> None:
            body = {
                "listing_id": unit_id,
                "type": "guided",
                "start": starts[n % SLOTS],
                "name": f"Racer {n}",
                "email": f"racer{n}@example.com",
                "idempotency_key": f"race-{n:04d}-{secrets.token_hex(8)}",
            }
            t0 = time.perf_counter()
            try:
                status = (await client.post(f"{base}/api/v1/tours", json=body)).status_code
            except httpx.HTTPError:
                status = 0
            samples.append(time.perf_counter() - t0)
            statuses[status] = statuses.get(status, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(book(n) for n in range(CLIENTS)))
        elapsed = time.perf_counter() - started
    errors = sum(c for s, c in statuses.items() if s not in (201, 409))
    return statuses, Stats.from_seconds(samples, elapsed=elapsed, errors=errors)


def _one_at_a_time(base: str, unit_id: int) -> Stats:
    """Uncontended booking latency: one client books the next day's slots in turn."""
    day = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    url = f"{base}/api/v1/listings/{unit_id}/tour-slots?type=guided&from={day}&to={day}"
    starts = [s["start_utc"] for s in httpx.get(url, timeout=30).json()["slots"]][:SLOTS]
    samples, errors = [], 0
    with httpx.Client(timeout=30) as client:
        for n, start in enumerate(starts):
            body = {
                "listing_id": unit_id,
                "type": "guided",
                "start": start,
                "name": "Solo",
                "email": f"solo{n}@example.com",
            }
            t0 = time.perf_counter()
            if client.post(f"{base}/api/v1/tours", json=body).status_code != 201:
                errors += 1
            samples.append(time.perf_counter() - t0)
    return Stats.from_seconds(samples, errors=errors)


def run_database(name: str, url: str) -> dict:
    unit_id = seed(url)
    env = {
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-only",
        "PORTAL_ENV": "development",
        "RATELIMIT_ENABLED": "0",
        "JOBS_BACKEND": "sync",
    }
    with gunicorn("wsgi:app", env=env, workers=WORKERS) as base:
        tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
        slot_url = (
            f"{base}/api/v1/listings/{unit_id}/tour-slots?type=guided&from={tomorrow}&to={tomorrow}"
        )
        starts = [s["start_utc"] for s in httpx.get(slot_url, timeout=30).json()["slots"]][:SLOTS]
        assert len(starts) == SLOTS, f"only {len(starts)} slots offered"
        slot_list = load([slot_url], concurrency=8, requests=400)
        statuses, booking = asyncio.run(_race(base, unit_id, starts))
        left = len(httpx.get(slot_url, timeout=30).json()["slots"])
        single = _one_at_a_time(base, unit_id)
    tours, dupes = double_bookings(url)
    result = {
        "database": name,
        "booked": statuses.get(201, 0),
        "conflicts": statuses.get(409, 0),
        "errors": booking.errors,
        "tours_in_db": tours,
        "double_booked": dupes,
        "slots_left_of_the_day": left,
        "booking": booking,
        "slot_list": slot_list,
        "single": single,
    }
    floors = (
        result["booked"] == SLOTS
        and result["conflicts"] == CLIENTS - SLOTS
        and booking.errors == 0
        and tours == 2 * SLOTS  # the race's 20 and the one-client run's 20
        and dupes == 0
        and single.errors == 0
    )
    result["floors_met"] = floors
    return result


def _postgres_scratch():
    """Create a scratch database; returns (url, drop function) or None when PostgreSQL is absent."""
    engine = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"bench_tours_{secrets.token_hex(4)}"
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        engine.dispose()
        print(f"PostgreSQL not reachable at {ADMIN_URL}: {exc.orig}")
        return None

    def drop():
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}", drop


def main() -> dict:
    os.environ.setdefault("PORTAL_ENV", "development")
    with gunicorn("bench.baseline_app:app", workers=WORKERS) as base:
        baseline = load([f"{base}/"], concurrency=8, requests=400)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(run_database("SQLite", f"sqlite:///{Path(tmp) / 'race.sqlite3'}"))
    scratch = _postgres_scratch()
    if scratch:
        url, drop = scratch
        try:
            results.append(run_database("PostgreSQL", url))
        finally:
            drop()
    rows = []
    for r in results:
        rows.append(
            {
                "database": r["database"],
                "201": r["booked"],
                "409": r["conflicts"],
                "errors": r["errors"],
                "double-booked": r["double_booked"],
                "booking p50 ms": r["booking"].p50_ms,
                "booking p95 ms": r["booking"].p95_ms,
                "1-client booking p50 ms": r["single"].p50_ms,
                "slots p50 ms": r["slot_list"].p50_ms,
                "slots p95 ms": r["slot_list"].p95_ms,
                "slots p95 vs baseline": ratio(r["slot_list"].p95_ms, baseline.p95_ms),
                "booking p95 vs baseline": ratio(r["booking"].p95_ms, baseline.p95_ms),
                "floors met": r["floors_met"],
            }
        )
    print_table(
        f"Booking race: {CLIENTS} clients, {SLOTS} slots, gunicorn {WORKERS} workers "
        f"(baseline p50 {baseline.p50_ms:.2f} ms, p95 {baseline.p95_ms:.2f} ms)",
        rows,
    )
    missed = [
        f"{r['database']} ({r['tours_in_db']} tours, {r['single'].errors} solo errors)"
        for r in results
        if not r["floors_met"]
    ]
    if missed:
        raise AssertionError(f"booking race floors missed on {', '.join(missed)}")
    if not scratch:
        raise AssertionError("PostgreSQL was not reachable, so its floor is unverified")
    return {"baseline": baseline, "rows": rows}
