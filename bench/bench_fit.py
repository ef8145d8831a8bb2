"""The "best fit for you" sort against the same page sorted by rent, in one run.

In-process (Flask test client on the demo city in a scratch SQLite database): the
fit sort scores every matching listing, not one page, so what matters is its cost
relative to the cheapest-first index it replaces. A second table times the pure
ranking on synthetic listings to show how it grows with the catalogue.
"""

import os
import random
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

from bench.common import print_table, ratio, time_calls

REPEAT = 200
PRIORITIES = {
    "importance_commute": "important",
    "importance_pets": "must_have",
    "importance_internet": "important",
    "importance_laundry": "nice",
    "importance_groceries": "nice",
    "budget_max": "1800",
    "bedrooms": "1",
    "move_in": "2027-01-15",
}


def _pages(workdir: Path) -> list[dict]:
    os.environ["PORTAL_ENV"] = "development"
    from portal import create_app
    from portal.demo.loader import load_demo
    from portal.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'fit.sqlite3'}",
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "bench-only",
        }
    )
    with app.app_context():
        db.create_all()
        load_demo(date(2026, 11, 23), with_staff=False)
        db.session.commit()
        client = app.test_client()
        client.post("/me/priorities", data=PRIORITIES)
        by_rent = time_calls(lambda: client.get("/listings/"), REPEAT, warmup=5)
        by_fit = time_calls(lambda: client.get("/listings/?sort=fit"), REPEAT, warmup=5)
        db.session.remove()
        db.engine.dispose()
    return [
        {
            "page": "index, cheapest first (baseline)",
            "p50 ms": by_rent.p50_ms,
            "p95 ms": by_rent.p95_ms,
            "p50 vs baseline": 1.0,
            "p95 vs baseline": 1.0,
        },
        {
            "page": "index, best fit for you",
            "p50 ms": by_fit.p50_ms,
            "p95 ms": by_fit.p95_ms,
            "p50 vs baseline": ratio(by_fit.p50_ms, by_rent.p50_ms),
            "p95 vs baseline": ratio(by_fit.p95_ms, by_rent.p95_ms),
        },
    ]


def _ranking() -> list[dict]:
    from portal.prospects.fit.facts import ListingFacts
    from portal.prospects.fit.score import rank_by_fit
    from portal.prospects.priorities import Priorities

    rng = random.Random(5)
    template = ListingFacts(
        1, 1400, 1, 42.0, date(2026, 12, 1), 3, 1000, False, "shared", False, False
    )
    priorities = Priorities(
        importance={
            "commute": "must_have",
            "groceries": "important",
            "internet": "nice",
            "pets": "important",
        },
        budget_max=1600,
    )
    rows, base = [], None
    for n in (100, 1_000, 10_000):
        listings = [
            replace(
                template,
                unit_id=i,
                rent_eur=rng.randint(800, 2400),
                internet_down_mbps=rng.choice([None, 50, 300, 1000]),
                pets_allowed=rng.random() < 0.4,
                commute_minutes={"Office": rng.randint(5, 60)},
                walk_minutes_to_nearest={"grocery": rng.uniform(1, 25)},
            )
            for i in range(n)
        ]
        stats = time_calls(lambda ls=listings: rank_by_fit(ls, lambda f: f, priorities), 5)
        per_listing = stats.p50_ms * 1000 / n
        base = base or per_listing
        rows.append(
            {
                "listings": n,
                "p50 ms": stats.p50_ms,
                "µs per listing": per_listing,
                "per listing vs 100": ratio(per_listing, base),
            }
        )
    return rows


def main() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        pages = _pages(Path(tmp))
    ranking = _ranking()
    print_table(f"Listings index on the demo city, in-process, {REPEAT} requests each", pages)
    print_table("rank_by_fit on synthetic listings (commute, groceries, internet, pets)", ranking)
    return {"pages": pages, "ranking": ranking}
