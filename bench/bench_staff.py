"""Staff pages against public pages of the same run: the tour brief and the agent's day.

In-process (Flask test client) on the demo city with the Helsinki region imported
and every neighbourhood stored, in a scratch SQLite database (``BENCH_DATABASE_URL``
for another). Each case in ``CASES`` is timed with ``REPEAT`` requests and compared
with its baseline case from the same run, or with an absolute ceiling:

* the brief page of a demo tour vs the listing detail page of the toured home, both
  for the same prospect (whose commute places both pages route): p95 <= 3x;
* the agent's day with 50 tours vs the listings index: p95 <= 2x;
* the prospects list over 100,000 prospects, filtered and paginated, page and API:
  p95 <= 150 ms per case (``bench/staff_prospects.py``, its own scratch data).

To add a case (e.g. the prospects list), append a ``Case`` to ``CASES`` and, when it
needs its own data, a function to ``SETUP_STEPS``; it receives the ``Setup``.
"""

import gc
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from bench import staff_prospects
from bench.common import print_table, ratio, time_calls

REPEAT = 300
WARMUP = 5
DAY_TOURS = 50


@dataclass
class Setup:
    """What the cases need: signed-in clients by role and the ids of the pages."""

    clients: dict = field(default_factory=dict)  # "agent", "prospect", "anonymous"
    ids: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    name: str
    client: str  # a key of Setup.clients
    path: Callable[[Setup], str]
    baseline: str | None = None  # the name of another case of the same run
    max_ratio: float | None = None  # p95 at most this times the baseline's p95
    max_p95_ms: float | None = None  # or an absolute ceiling


CASES = [
    Case("listings index (baseline)", "anonymous", lambda s: "/listings/"),
    Case(
        "listing detail of the toured home (baseline)",
        "prospect",
        lambda s: f"/listings/{s.ids['unit']}",
    ),
    Case(
        "tour brief",
        "agent",
        lambda s: f"/staff/tours/{s.ids['tour']}",
        baseline="listing detail of the toured home (baseline)",
        max_ratio=3.0,
    ),
    Case(
        f"agent's day with {DAY_TOURS} tours",
        "agent",
        lambda s: "/staff/",
        baseline="listings index (baseline)",
        max_ratio=2.0,
    ),
]


def _demo(setup: Setup, today: date) -> None:
    import sqlalchemy as sa
    from flask import current_app

    from portal.config import Config
    from portal.demo.loader import load_demo
    from portal.extensions import db
    from portal.geo.importer import prepare_region, store_region
    from portal.geo.neighbourhood_store import refresh_all_neighbourhoods
    from portal.models import Prospect, Tour
    from portal.prospects.magic_links import issue_link
    from portal.settings import geo_settings

    report = load_demo(today)
    db.session.commit()
    prepared = prepare_region(Config.DEMO_PBF, Path(setup.ids["workdir"]) / "geo", "helsinki")
    store_region("helsinki", prepared)
    db.session.commit()
    refresh_all_neighbourhoods(geo_settings())
    db.session.commit()
    app = current_app._get_current_object()
    agent, prospect, anonymous = app.test_client(), app.test_client(), app.test_client()
    email = "agent@doorstep.example"
    agent.post("/auth/login", data={"email": email, "password": report.staff[email]})
    sara = db.session.scalar(sa.select(Prospect).where(Prospect.email == "sara.demo@example.com"))
    issued = issue_link(sara.email, secret_key=app.config["SECRET_KEY"])
    db.session.commit()
    prospect.post(f"/me/sign-in/{issued.token}")
    tour = db.session.scalar(
        sa.select(Tour).where(Tour.prospect_id == sara.id, Tour.unit_id.is_not(None)).limit(1)
    )
    setup.clients |= {"agent": agent, "prospect": prospect, "anonymous": anonymous}
    setup.ids |= {"tour": tour.id, "unit": tour.unit_id, "agent_email": email}


def _fifty_tours(setup: Setup, today: date) -> None:
    """Top the demo agent's next seven days up to ``DAY_TOURS`` tours."""
    import secrets

    import sqlalchemy as sa

    from portal.extensions import db
    from portal.models import Prospect, StaffUser, Tour, TourType

    agent = db.session.scalar(
        sa.select(StaffUser).where(StaffUser.email == setup.ids["agent_email"])
    )
    now = datetime.now(UTC)
    have = db.session.scalar(
        sa.select(sa.func.count(Tour.id)).where(
            Tour.agent_id == agent.id, Tour.starts_at >= now, Tour.starts_at < now + timedelta(6)
        )
    )
    types = list(db.session.scalars(sa.select(TourType).where(TourType.kind == "guided")))
    prospects = list(db.session.scalars(sa.select(Prospect)))
    for n in range(DAY_TOURS - have):
        starts = now + timedelta(hours=2 + n * 2)
        tour_type, prospect = types[n % len(types)], prospects[n % len(prospects)]
        db.session.add(
            Tour(
                token=secrets.token_hex(16),
                uid=f"bench-{n}@doorstep.example",
                property_id=tour_type.property_id,
                tour_type_id=tour_type.id,
                agent_id=agent.id,
                prospect_id=prospect.id,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=30),
                status="confirmed",
                name=prospect.name or "Bench Visitor",
                email=prospect.email,
            )
        )
    db.session.commit()
    shown = setup.clients["agent"].get("/staff/").get_data(as_text=True).count('class="tour-card"')
    if shown < DAY_TOURS:
        raise RuntimeError(f"the agent's day shows {shown} tours, not {DAY_TOURS}")


def _analyze(setup: Setup, today: date) -> None:
    """Planner statistics, as autovacuum keeps them on a live PostgreSQL server.

    Without them the tables just filled look empty to the planner: the staff pages'
    follow-up backlog count took 9–13 ms (a nested loop over a sequential scan) instead
    of 0.1 ms.
    """
    from portal.extensions import db

    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(sa.text("ANALYZE"))


SETUP_STEPS: list[Callable[[Setup, date], None]] = [_demo, _fifty_tours, _analyze]


def run_cases(setup: Setup, cases: list[Case]) -> list[dict]:
    # As a gunicorn worker does after its warm-up (gunicorn.conf.py): what the set-up
    # loaded for good (the region's network and places) is no longer walked by every
    # full collection, whose 100-150 ms pauses landed in any case's tail.
    gc.collect()
    gc.freeze()
    stats = {}
    for case in cases:
        client, path = setup.clients[case.client], case.path(setup)
        status = client.get(path).status_code
        if status != 200:
            raise RuntimeError(f"{case.name}: GET {path} answered {status}")
        stats[case.name] = time_calls(lambda c=client, p=path: c.get(p), REPEAT, warmup=WARMUP)
    rows = []
    for case in cases:
        s = stats[case.name]
        row = {
            "page": case.name,
            "p50 ms": s.p50_ms,
            "p95 ms": s.p95_ms,
            "p95 vs baseline": "",
            "ceiling": "",
            "passes": "",
        }
        if case.baseline:
            row["p95 vs baseline"] = ratio(s.p95_ms, stats[case.baseline].p95_ms)
            row["ceiling"] = f"{case.max_ratio}x"
            row["passes"] = row["p95 vs baseline"] <= case.max_ratio
        elif case.max_p95_ms:
            row["ceiling"] = f"{case.max_p95_ms} ms"
            row["passes"] = s.p95_ms <= case.max_p95_ms
        rows.append(row)
    return rows


def main() -> dict:
    os.environ["PORTAL_ENV"] = "development"
    from portal import create_app
    from portal.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'staff.sqlite3'}"
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "WTF_CSRF_ENABLED": False,
                "SECRET_KEY": "bench-only",
                "RATELIMIT_ENABLED": False,
                "GEO_NEIGHBOURHOOD_ON_SAVE": False,
                "JOBS_BACKEND": "sync",
            }
        )

        @app.teardown_request
        def _forget_signed_in_user(exc):
            # Requests run inside one app context here: Flask-Login's cache in `g` would
            # carry one client's user into the next client's request.
            from flask import g

            g.pop("_login_user", None)

        with app.app_context():
            if db.engine.dialect.name == "postgresql":  # a scratch database: start empty
                with db.engine.begin() as conn:
                    conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.create_all()
            setup = Setup(ids={"workdir": tmp})
            today = date.today()
            for step in SETUP_STEPS:
                step(setup, today)
            rows = run_cases(setup, CASES)
            gc.unfreeze()
            db.session.remove()
            db.engine.dispose()
    print_table(f"Staff pages on the demo city, in-process, {REPEAT} requests each", rows)
    failed = [r["page"] for r in rows if r.get("passes") is False]
    try:
        prospects = staff_prospects.run()
    except AssertionError as exc:
        failed.append(str(exc))
        prospects = None
    if failed:
        raise AssertionError(f"over the ceiling: {', '.join(failed)}")
    return {"pages": rows, "prospects_list": prospects}
