"""Follow-ups: planning 100,000 prospects and rendering messages (the delivery helper: sending).

python -m bench followups                      # every case
python -m bench followups planning rendering   # the cases named

Planning: 100,000 prospects, each in a plan and waiting for its next step, planned by
``plan_messages`` (one INSERT ... SELECT per batch of run ids, as listmonk's pipes):
floor 10,000 prospects/s. Rendering: the pure fill-and-render of a snippet with a
listing's facts (what every send and preview does): floor 1,000 messages/s. A scratch
SQLite database unless BENCH_DATABASE_URL names another (PostgreSQL).
"""

import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import print_table

PROSPECTS = 100_000
PLANNING_FLOOR = 10_000  # prospects/s
RENDERS = 3_000
RENDERING_FLOOR = 1_000  # messages/s
NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


def _app(workdir: Path):
    os.environ["PORTAL_ENV"] = "development"
    from portal import create_app

    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'followups.sqlite3'}"
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-only",
            "GEO_NEIGHBOURHOOD_ON_SAVE": False,
            "JOBS_BACKEND": "sync",
            "SERVER_NAME": "portal.test",
            "PORTAL_BASE_URL": "http://portal.test",
        }
    )


def _fresh_schema():
    import sqlalchemy as sa

    from portal.extensions import db

    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    else:
        db.drop_all()
    db.create_all()


def _community():
    from datetime import date
    from decimal import Decimal

    from portal.demo.followups import install_followups, load_demo_followups
    from portal.extensions import db
    from portal.models import InternetService, Property, Unit

    prop = Property(
        slug="bench",
        name="Bench Court",
        street="Annankatu",
        housenumber="1",
        postcode="00100",
        city="Helsinki",
        lat=60.1674,
        lon=24.9366,
        time_zone="Europe/Helsinki",
        amenities=["Pets welcome", "Parking garage", "Laundry room"],
    )
    db.session.add(prop)
    db.session.flush()
    db.session.add(
        InternetService(
            property_id=prop.id,
            provider="Elisa",
            technology="fibre",
            max_down_mbps=1000,
            max_up_mbps=500,
        )
    )
    unit = Unit(
        property_id=prop.id,
        number="A 1",
        floor=3,
        bedrooms=1,
        bathrooms=Decimal("1.0"),
        area_m2=Decimal("42.5"),
        rent_eur=1400,
        available_from=date(2026, 12, 1),
        orientation="S",
        status="available",
    )
    db.session.add(unit)
    load_demo_followups()
    install_followups(prop)
    db.session.commit()
    return prop, unit


def planning() -> dict:
    """100,000 waiting runs planned in batches; prospects/s over the whole pass."""
    import sqlalchemy as sa

    from portal.extensions import db
    from portal.followups.planner import plan_messages
    from portal.models import FollowupMessage, FollowupPlan, FollowupRun, Prospect

    with tempfile.TemporaryDirectory() as tmp:
        app = _app(Path(tmp))
        with app.app_context():
            _fresh_schema()
            prop, _ = _community()
            plan = db.session.scalar(
                sa.select(FollowupPlan).where(
                    FollowupPlan.property_id == prop.id, FollowupPlan.trigger == "completed"
                )
            )
            due = NOW + timedelta(days=2)
            chunk = 10_000
            for start in range(0, PROSPECTS, chunk):
                db.session.execute(
                    sa.insert(Prospect),
                    [
                        {"email": f"p{i}@example.com", "name": f"P {i}", "stage": "toured"}
                        for i in range(start, start + chunk)
                    ],
                )
            ids = list(db.session.scalars(sa.select(Prospect.id).order_by(Prospect.id)))
            for start in range(0, PROSPECTS, chunk):
                db.session.execute(
                    sa.insert(FollowupRun),
                    [
                        {
                            "plan_id": plan.id,
                            "prospect_id": pid,
                            "status": "active",
                            "started_at": NOW,
                            "next_position": 2,
                            "next_due_at": due,
                            "next_expires_at": due + timedelta(days=7),
                        }
                        for pid in ids[start : start + chunk]
                    ],
                )
            db.session.commit()
            started = time.perf_counter()
            counts = plan_messages(NOW, on_batch=db.session.commit)
            db.session.commit()
            elapsed = time.perf_counter() - started
            written = db.session.scalar(sa.select(sa.func.count(FollowupMessage.id)))
            dialect = db.engine.dialect.name
            db.session.remove()
            db.engine.dispose()
    rate = PROSPECTS / elapsed
    return {
        "case": "planning",
        "database": dialect,
        "prospects": PROSPECTS,
        "messages written": written,
        "seconds": elapsed,
        "prospects/s": rate,
        "floor /s": PLANNING_FLOOR,
        "reported written": counts["written"],
        "passes": rate >= PLANNING_FLOOR and written == PROSPECTS,
    }


def rendering() -> dict:
    """Fill and render snippets with a listing's facts (subject, text, brand HTML)."""
    from portal.extensions import db
    from portal.followups.compose import snippet_for
    from portal.followups.placeholders import MessageSubject, collect_facts
    from portal.followups.render import render_snippet
    from portal.geo.settings import GeoSettings
    from portal.mail.render import EmailFooter
    from portal.models import Prospect
    from portal.prospects.priorities import Priorities
    from portal.prospects.topics import TOPICS

    with tempfile.TemporaryDirectory() as tmp:
        app = _app(Path(tmp))
        with app.app_context():
            _fresh_schema()
            prop, unit = _community()
            settings = GeoSettings.from_mapping(app.config)
            prospect = Prospect(name="Pia Virtanen", email="pia@example.com")
            footer = EmailFooter("http://portal.test/me/contact", "http://portal.test/u/x")
            cases = []
            for topic in ("favourites", "internet", "pets", "parking", "quiet_close"):
                subject = MessageSubject(
                    prospect=prospect,
                    unit=unit,
                    priorities=Priorities(importance={topic: "must_have"})
                    if topic in TOPICS
                    else Priorities(),
                    topic=topic if topic in TOPICS else None,
                    links={"listing_url": "http://portal.test/listings/1", "book_url": "http://b"},
                )
                snippet = snippet_for(topic, prop.id)
                cases.append((snippet.subject, snippet.body, collect_facts(subject, settings)))
            with app.test_request_context():
                render_snippet(*cases[0], footer=footer, property_name=prop.name)  # warm-up
                started = time.perf_counter()
                for i in range(RENDERS):
                    subject, body, facts = cases[i % len(cases)]
                    message, missing = render_snippet(
                        subject, body, facts, footer=footer, property_name=prop.name
                    )
                    assert not missing, missing  # noqa: S101  (a bench of real messages)
                elapsed = time.perf_counter() - started
            db.session.remove()
            db.engine.dispose()
    rate = RENDERS / elapsed
    return {
        "case": "rendering",
        "messages": RENDERS,
        "seconds": elapsed,
        "messages/s": rate,
        "floor /s": RENDERING_FLOOR,
        "passes": rate >= RENDERING_FLOOR,
    }


# The cases of this benchmark, in run order; the delivery helper adds "sending".
CASES = {"planning": planning, "rendering": rendering}


def main(argv: list[str] | None = None) -> dict:
    names = list(argv or []) or list(CASES)
    unknown = [n for n in names if n not in CASES]
    if unknown:
        print(f"unknown cases {unknown}; cases: {', '.join(CASES)}", file=sys.stderr)
        raise SystemExit(2)
    figures = {}
    for name in names:
        figures[name] = CASES[name]()
        print_table(f"follow-ups: {name}", [figures[name]])
    return figures


if __name__ == "__main__":
    main(sys.argv[1:])
