"""The staff prospects list over 100,000 prospects, filtered and paginated: p95 ≤ 150 ms.

Part of ``python -m bench staff`` (``bench/bench_staff.py`` runs it after the brief and
day cases); ``python -m bench.staff_prospects`` runs it alone.

In-process (Flask test client, a signed-in agent and an admin) on a scratch database
(``BENCH_DATABASE_URL``, e.g. a scratch PostgreSQL database; a SQLite file otherwise)
seeded with 100,000 prospects, 30,000 tours at 20 properties and 40 agents. Each case
is one page of ``/staff/prospects`` (or ``GET /api/v1/staff/prospects``) with the
filters named; deep pages use the keyset (``after``). The floor is absolute (p95 ≤ 150
ms per case); the unfiltered first page is the same-run baseline the others are
compared with.
"""

import os
import random
import secrets
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from bench.common import print_table, ratio, time_calls

PROSPECTS = 100_000
TOURS = 30_000
PROPERTIES = 20
AGENTS = 40
REPEAT = 60
FLOOR_MS = 150.0
PASSWORD = secrets.token_hex(12)  # scratch accounts of this run only
SOURCES = ("google", "newsletter", "facebook", "referral", "instagram")
STAGES = ("prospect", "lead", "toured", "applied", "leased", "lost")


def _rows(model, rows: list[dict], chunk: int = 5000) -> None:
    from portal.extensions import db

    for i in range(0, len(rows), chunk):
        db.session.execute(sa.insert(model), rows[i : i + chunk])


def seed(now: datetime) -> dict:
    """The scratch data; returns the ids the cases use."""
    from portal.auth.services import create_staff
    from portal.extensions import db
    from portal.models import Property, PropertyAgent, Prospect, StaffUser, Tour, TourType

    rng = random.Random(11)
    props = [
        Property(
            slug=f"bench-{i}",
            name=f"Bench Court {i}",
            street="Annankatu",
            housenumber=str(i),
            postcode="00100",
            city="Helsinki",
            lat=60.1674,
            lon=24.9366,
            time_zone="Europe/Helsinki",
        )
        for i in range(PROPERTIES)
    ]
    db.session.add_all(props)
    db.session.flush()
    types = [TourType(property_id=p.id, kind="guided", name="Guided tour") for p in props]
    db.session.add_all(types)
    agents = []
    for i in range(AGENTS):
        agent = create_staff(f"bench-agent{i}@doorstep.example", f"Agent {i}", "agent", PASSWORD)
        db.session.add(PropertyAgent(property_id=props[i % PROPERTIES].id, staff_id=agent.id))
        agents.append(agent)
    admin = create_staff("bench-admin@doorstep.example", "Admin", "admin", PASSWORD)
    db.session.flush()
    agent_ids = [a.id for a in agents]
    _rows(
        Prospect,
        [
            {
                "email": f"p{n}@bench.example",
                "name": f"Prospect {n} {rng.choice(('Aalto', 'Berg', 'Koski', 'Virtanen'))}",
                "phone": f"+35840{n:07d}",
                "stage": rng.choice(STAGES),
                "lost_reason": None,
                "created_at": now - timedelta(minutes=n),
                "first_touch": {"utm_source": rng.choice(SOURCES)},
                "last_contact_at": now - timedelta(days=rng.randint(0, 120))
                if rng.random() < 0.7
                else None,
                "assigned_agent_id": rng.choice(agent_ids) if rng.random() < 0.1 else None,
            }
            for n in range(PROSPECTS)
        ],
    )
    ids = list(db.session.scalars(sa.select(Prospect.id)))
    _rows(
        Tour,
        [
            {
                "token": secrets.token_urlsafe(16),
                "uid": secrets.token_hex(16),
                "property_id": props[k % PROPERTIES].id,
                "tour_type_id": types[k % PROPERTIES].id,
                "agent_id": agent_ids[k % AGENTS],
                "prospect_id": rng.choice(ids),
                "starts_at": (start := now + timedelta(hours=rng.randint(-24 * 60, 24 * 14))),
                "ends_at": start + timedelta(minutes=30),
                "status": "confirmed" if start > now else "completed",
                "sequence": 0,
                "version": 1,
                "name": "Bench",
                "email": "bench@bench.example",
                "email_normalised": "bench@bench.example",
                "phone": "",
                "contact_channel": "email",
                "priorities": [],
                "priorities_note": "",
                "created_at": now,
                "updated_at": now,
            }
            for k in range(TOURS)
        ],
    )
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(sa.text("ANALYZE"))
    middle = sorted(ids)[len(ids) // 2]
    return {
        "agent": agents[0].email,
        "admin": admin.email,
        "property_id": props[3].id,
        "agent_id": agent_ids[5],
        "middle": middle,
        "staff_count": db.session.scalar(sa.select(sa.func.count(StaffUser.id))),
    }


def _cases(ids: dict) -> list[tuple[str, str, str]]:
    """(who, label, path) for every case."""
    return [
        ("admin", "admin · first page (baseline)", "/staff/prospects"),
        ("admin", "admin · stage toured", "/staff/prospects?stage=toured"),
        (
            "admin",
            "admin · stage lead, deep page",
            f"/staff/prospects?stage=lead&after={ids['middle']}",
        ),
        (
            "admin",
            "admin · property + upcoming tour",
            f"/staff/prospects?property_id={ids['property_id']}&upcoming_tour=yes",
        ),
        ("admin", "admin · agent", f"/staff/prospects?agent_id={ids['agent_id']}"),
        (
            "admin",
            "admin · source + contacted this month",
            "/staff/prospects?source=newsletter&last_contact=month",
        ),
        (
            "admin",
            "admin · never contacted, no upcoming tour",
            "/staff/prospects?last_contact=never&upcoming_tour=no",
        ),
        ("admin", "admin · search, common (a quarter of all names)", "/staff/prospects?q=virtanen"),
        (
            "admin",
            "admin · search, common, deep page",
            f"/staff/prospects?q=virtanen&after={ids['middle']}",
        ),
        ("admin", "admin · search, rare (one email)", "/staff/prospects?q=p54321%40bench"),
        # Two characters match the start of a word: "99" starts 1,111 names' numbers.
        ("admin", "admin · search, word start, common", "/staff/prospects?q=99"),
        ("admin", "admin · search, word start, no match", "/staff/prospects?q=zq"),
        ("admin", "admin · search, word start, 1 character (all)", "/staff/prospects?q=p"),
        ("agent", "agent · first page", "/staff/prospects"),
        ("agent", "agent · stage applied", "/staff/prospects?stage=applied"),
        ("agent", "agent · upcoming tour", "/staff/prospects?upcoming_tour=yes"),
        (
            "api",
            "API (agent token) · stage lead, 25",
            "/api/v1/staff/prospects?stage=lead&limit=25",
        ),
    ]


def run() -> dict:
    os.environ["PORTAL_ENV"] = "development"
    from portal import create_app
    from portal.extensions import db
    from portal.models.base import utcnow
    from portal.staff.api_tokens import issue_token

    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'staff.sqlite3'}"
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
                "SECRET_KEY": "bench-only",
            }
        )
        with app.app_context():
            if db.engine.dialect.name == "postgresql":
                with db.engine.begin() as conn:
                    conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.drop_all()
            db.create_all()
            now = utcnow()
            ids = seed(now)

            @app.teardown_request
            def _forget_signed_in_user(exc):
                # One app context for every client: Flask-Login's cache in `g` would
                # carry the admin into the agent's requests.
                from flask import g

                g.pop("_login_user", None)

            clients = {}
            for who in ("admin", "agent"):
                client = app.test_client()
                client.post("/auth/login", data={"email": ids[who], "password": PASSWORD})
                clients[who] = client
            from portal.auth.services import staff_by_email

            secret = issue_token(staff_by_email(ids["agent"]), "bench", now=now).secret
            db.session.commit()
            headers = {"Authorization": f"Bearer {secret}"}
            rows = []
            for who, label, path in _cases(ids):
                client = clients.get(who) or app.test_client()
                extra = headers if who == "api" else {}
                first = client.get(path, headers=extra)
                assert first.status_code == 200, (label, first.status_code)
                stats = time_calls(
                    lambda c=client, p=path, h=extra: c.get(p, headers=h), REPEAT, warmup=3
                )
                rows.append({"case": label, "p50 ms": stats.p50_ms, "p95 ms": stats.p95_ms})
            db.session.remove()
            db.engine.dispose()
    base = rows[0]["p95 ms"]
    for row in rows:
        row["p95 vs baseline"] = ratio(row["p95 ms"], base)
        row["floor"] = "ok" if row["p95 ms"] <= FLOOR_MS else "MISSED"
    print_table(
        f"Staff prospects list over {PROSPECTS:,} prospects ({db_name(url)}), "
        f"floor p95 ≤ {FLOOR_MS:.0f} ms",
        rows,
    )
    missed = [r["case"] for r in rows if r["floor"] == "MISSED"]
    if missed:
        raise AssertionError(f"p95 above {FLOOR_MS} ms: {missed}")
    return {"database": db_name(url), "prospects": PROSPECTS, "cases": rows}


def db_name(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgresql") else "SQLite"


if __name__ == "__main__":
    run()
