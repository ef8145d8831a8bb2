"""The "any city" parts of `python -m bench geo` (issue 14), each against a same-run baseline.

1. Geocoding over a 100,000-address gazetteer synthesised from the real extracts'
   street names, number first and number last. Floor: p95 <= 5 ms per query.
   Baseline: one indexed read of a street's rows (what a look-up must do anyway).
2. A repeated commute-sorted search (same destination; the next page, or another
   filter) vs. the same search without commute. Floor: p95 <= 1.5x the baseline.
3. The first transit search of a fresh process vs. a later one in that process.
   Floor: first <= 2x later. Run in a subprocess so nothing in memory is shared.
"""

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import osmium
import sqlalchemy as sa

from bench.common import Stats, ratio
from portal.config import Config
from portal.extensions import db
from portal.geo import commute
from portal.geo.gazetteer import LocalGazetteer
from portal.geo.gazetteer_text import leading_number, street_key
from portal.geo.settings import GeoSettings
from portal.geo.street_index import street_index
from portal.listings.services import ListingFilters, search_listings
from portal.models import GeoAddress, GeoRegion

CITIES = Path(__file__).resolve().parent.parent / "tests" / "data" / "cities"
GAZETTEER_SIZE = 100_000
DISTRICTS = [
    "Old", "New", "Upper", "Lower", "North", "South", "East", "West", "Little", "Great",
    "High", "Inner", "Outer", "Royal", "King", "Queen", "Park", "Mill", "Church", "Bridge",
]  # fmt: skip
GEOCODE_QUERIES = 400
REPEAT_DESTINATIONS = 20


def _real_street_names() -> list[str]:
    names: set[str] = set()
    for path in [Config.DEMO_PBF, *sorted(str(p) for p in CITIES.glob("*.osm.pbf"))]:
        for obj in osmium.FileProcessor(str(path)):
            street = obj.tags.get("addr:street")
            if street and "," not in street:
                names.add(street)
    return sorted(names)


def add_synthetic_gazetteer(rng: random.Random) -> tuple[list[tuple[str, str]], int]:
    """A region far from the others holding GAZETTEER_SIZE addresses on real street names."""
    names = [f"{district} {name}" for name in _real_street_names() for district in DISTRICTS]
    per_street = -(-GAZETTEER_SIZE // len(names))
    region = GeoRegion(
        name="bench-gazetteer",
        source_name="synthetic",
        data_dir="/nonexistent/bench-gazetteer",
        min_lat=10.0,
        min_lon=10.0,
        max_lat=10.5,
        max_lon=10.5,
        stats={},
        country="GB",
    )
    db.session.add(region)
    db.session.flush()
    rows, addresses = [], []
    for name in names:
        lat, lon = rng.uniform(10, 10.5), rng.uniform(10, 10.5)
        for n in range(1, per_street + 1):
            if len(rows) >= GAZETTEER_SIZE:
                break
            number = str(n)
            rows.append(
                {
                    "region_id": region.id,
                    "street": name,
                    "street_key": street_key(name),
                    "housenumber": number,
                    "number": leading_number(number),
                    "postcode": "",
                    "city": "Benchford",
                    "lat": lat + n * 1e-5,
                    "lon": lon,
                }
            )
            addresses.append((name, number))
    db.session.execute(sa.insert(GeoAddress), rows)
    db.session.commit()
    return addresses, len(names)


def bench_geocoding(rng: random.Random) -> dict:
    addresses, streets = add_synthetic_gazetteer(rng)
    t0 = time.perf_counter()
    street_index()
    build_ms = (time.perf_counter() - t0) * 1000
    gazetteer = LocalGazetteer()
    sample = rng.sample(addresses, GEOCODE_QUERIES)
    figures = {}
    for order in ("number_first", "number_last"):
        samples, misses = [], 0
        for name, number in sample:
            query = f"{number} {name}" if order == "number_first" else f"{name} {number}"
            t0 = time.perf_counter()
            found = gazetteer.geocode(query)
            samples.append(time.perf_counter() - t0)
            misses += found is None or found.raw["match"] != "exact"
        figures[order] = Stats.from_seconds(samples, errors=misses)
    base = []
    bench_region = sa.select(GeoRegion.id).where(GeoRegion.name == "bench-gazetteer")
    region_id = db.session.scalar(bench_region)
    for name, _ in sample:
        key = street_key(name)
        t0 = time.perf_counter()
        db.session.execute(
            sa.select(GeoAddress.housenumber, GeoAddress.lat, GeoAddress.lon).where(
                GeoAddress.region_id == region_id, GeoAddress.street_key == key
            )
        ).all()
        base.append(time.perf_counter() - t0)
    baseline = Stats.from_seconds(base)
    worst = max(figures[o].p95_ms for o in figures)
    return {
        "addresses": len(addresses),
        "streets": streets,
        "index_build_ms": build_ms,
        **figures,
        "baseline_street_read": baseline,
        "ratio_p95": ratio(worst, baseline.p95_ms),
        "floor_p95_ms": 5,
        "passes": worst <= 5 and all(f.errors == 0 for f in figures.values()),
    }


def bench_repeat(settings: GeoSettings, rng: random.Random, mode: str, points) -> dict:
    """Same destination again: page 2, then another rent limit; vs. the same without commute."""
    repeated, baseline, first = [], [], []
    for destination in rng.sample(points, REPEAT_DESTINATIONS):
        commute.clear_cache()

        def filters(max_rent, with_commute, destination=destination):
            return ListingFilters(
                min_bedrooms=1,
                max_rent=max_rent,
                commute_to=destination if with_commute else None,
                mode=mode,
                sort="commute" if with_commute else "rent",
            )

        t0 = time.perf_counter()
        search_listings(filters(2500, True), 1, 12, settings)
        first.append(time.perf_counter() - t0)
        for page, max_rent in ((2, 2500), (1, 2000), (3, 2500), (1, 2800)):
            t0 = time.perf_counter()
            search_listings(filters(max_rent, False), page, 12, settings)
            baseline.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            result = search_listings(filters(max_rent, True), page, 12, settings)
            repeated.append(time.perf_counter() - t0)
            assert result.items
    stats, base = Stats.from_seconds(repeated), Stats.from_seconds(baseline)
    return {
        "mode": mode,
        "first_search": Stats.from_seconds(first),
        "repeated": stats,
        "baseline_same_search_without_commute": base,
        "ratio_p95": ratio(stats.p95_ms, base.p95_ms),
        "floor_ratio": 1.5,
        "passes": ratio(stats.p95_ms, base.p95_ms) <= 1.5,
    }


def bench_first_transit(database_url: str, data_dir: str, points) -> dict:
    """First vs. later transit search, in fresh processes (nothing cached in memory).

    Twice: a worker as gunicorn starts it (``gunicorn.conf.py`` warms it up before its
    first request; the floor applies to this one), and a bare process that never warmed
    up (what a first search costs without the hook, for the record).
    """
    runs = {warm: _first_and_later(database_url, data_dir, points, warm) for warm in (True, False)}
    (first, later), (cold_first, cold_later) = runs[True], runs[False]
    return {
        "first_ms": first * 1000,
        "later": later,
        "ratio_first_to_later_p50": ratio(first * 1000, later.p50_ms),
        "cold_first_ms": cold_first * 1000,
        "cold_ratio_first_to_later_p50": ratio(cold_first * 1000, cold_later.p50_ms),
        "floor_ratio": 2,
        "passes": ratio(first * 1000, later.p50_ms) <= 2,
    }


def _first_and_later(database_url: str, data_dir: str, points, warm: bool) -> tuple[float, Stats]:
    script = (
        "import json, sys, time\n"
        "from bench.geo_any_city import _transit_searches\n"
        "print(json.dumps(_transit_searches(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]),"
        " sys.argv[4] == '1')))\n"
    )
    root = str(Path(__file__).resolve().parent.parent)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            database_url,
            data_dir,
            json.dumps(points[:8]),
            "1" if warm else "0",
        ],
        capture_output=True,
        text=True,
        cwd=root,
        env=os.environ | {"PORTAL_ENV": "development"},
        check=True,
    )
    first, *later = json.loads(out.stdout.strip().splitlines()[-1])
    return first, Stats.from_seconds(later)


def _transit_searches(
    database_url: str, data_dir: str, points: list, warm: bool = True
) -> list[float]:
    """Run in the subprocess: transit searches to distinct destinations, each timed.

    :param warm: warm up first, as gunicorn's ``post_worker_init`` hook does.
    """
    from portal import create_app
    from portal.listings.warm_up import warm_up

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "GEO_DATA_DIR": data_dir,
            "GEO_NEIGHBOURHOOD_ON_SAVE": False,
        }
    )
    with app.app_context():
        settings = GeoSettings.from_mapping(app.config)
        if warm:
            warm_up(settings)
        samples = []
        for lat, lon in points:
            t0 = time.perf_counter()
            page = search_listings(
                ListingFilters(
                    min_bedrooms=1,
                    max_rent=2500,
                    commute_to=(lat, lon),
                    mode="transit",
                    sort="commute",
                ),
                1,
                12,
                settings,
            )
            samples.append(time.perf_counter() - t0)
            assert page.items
        return samples
