"""Every imported street name in memory, for lookups that never scan the gazetteer.

The index maps each folded street key (``gazetteer_text.street_key``) to the streets
of every region that carry it, with their postcodes and cities, so a query finds its
street with a dictionary look-up, a misspelt one through a trigram index, and an
autocomplete prefix by bisection. Only the addresses of the chosen street are then
read from the database.

One index per process and database, rebuilt when the imported data changes: each
use reads the regions' import stamps and the newest address id (two indexed
look-ups in one query), so every gunicorn worker notices an import made by any process.
"""

import bisect
import difflib
import threading
from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from portal.extensions import db
from portal.geo.address_style import AddressStyle
from portal.geo.gazetteer_text import place_key, postcode_key, street_key
from portal.models import GeoAddress, GeoRegion

FUZZY_CUTOFF = 0.75
FUZZY_POOL = 40  # keys sharing the most trigrams that difflib then compares
COMMON_TRIGRAM = 5000  # trigrams in more keys than this say nothing; skipped


@dataclass(frozen=True)
class RegionInfo:
    id: int
    name: str
    label: str
    style: AddressStyle
    words: frozenset[str]  # of its name and city, for "Bristol" matching the region


@dataclass(frozen=True)
class StreetEntry:
    """One street of one region under a folded key."""

    region_id: int
    street: str  # the spelling most of its addresses use
    stored_keys: tuple[str, ...]  # geo_address.street_key values to read its rows by
    postcodes: frozenset[str]
    cities: frozenset[str]


class StreetIndex:
    def __init__(self, regions: dict[int, RegionInfo], entries: list[tuple[str, StreetEntry]]):
        self.regions = regions
        self.by_key: dict[str, list[StreetEntry]] = {}
        for key, entry in entries:
            self.by_key.setdefault(key, []).append(entry)
        self.keys = sorted(self.by_key)
        self._trigrams: dict[str, list[str]] = {}
        for key in self.keys:
            for gram in _trigrams(key):
                self._trigrams.setdefault(gram, []).append(key)

    def lookup(self, key: str, region_id: int | None = None) -> list[StreetEntry]:
        entries = self.by_key.get(key, [])
        if region_id is not None:
            entries = [e for e in entries if e.region_id == region_id]
        return entries

    def close_keys(self, key: str, n: int = 3) -> list[str]:
        """Up to ``n`` known keys spelt like ``key``, best first (bounded work)."""
        grams = _trigrams(key)[:60]
        counts: Counter[str] = Counter()
        for gram in grams:
            keys = self._trigrams.get(gram, ())
            if len(keys) <= COMMON_TRIGRAM:
                counts.update(keys)
        pool = [k for k, _ in counts.most_common(FUZZY_POOL)]
        return difflib.get_close_matches(key, pool, n=n, cutoff=FUZZY_CUTOFF)

    def starting_with(self, prefix: str, limit: int) -> list[str]:
        start = bisect.bisect_left(self.keys, prefix)
        found = []
        for key in self.keys[start:]:
            if not key.startswith(prefix) or len(found) >= limit:
                break
            found.append(key)
        return found


def _trigrams(key: str) -> list[str]:
    padded = f"  {key} "
    return list(dict.fromkeys(padded[i : i + 3] for i in range(len(padded) - 2)))


_cache: dict[str, tuple[tuple, StreetIndex]] = {}
_lock = threading.Lock()


def _version() -> tuple:
    """The regions' import stamps and the newest address id, in one indexed query."""
    newest = sa.select(sa.func.max(GeoAddress.id)).scalar_subquery()
    rows = db.session.execute(
        sa.select(GeoRegion.id, GeoRegion.imported_at, newest).order_by(GeoRegion.id)
    ).all()
    return tuple((rid, str(stamp), top) for rid, stamp, top in rows)


def street_index() -> StreetIndex:
    """The index for the current database, rebuilt if an import changed the data."""
    where = str(db.engine.url)
    version = _version()
    with _lock:
        cached = _cache.get(where)
    if cached is not None and cached[0] == version:
        return cached[1]
    index = _build()
    with _lock:
        _cache[where] = (version, index)
    return index


def region_infos() -> dict[int, RegionInfo]:
    """Every region's name, city and address style (from the index, so usually free)."""
    return street_index().regions


def _build() -> StreetIndex:
    regions = {}
    for region in db.session.scalars(sa.select(GeoRegion)):
        style = AddressStyle.for_region(region.country, region.address_order or None)
        words = frozenset(place_key(f"{region.name.replace('_', ' ')} {region.city}").split())
        regions[region.id] = RegionInfo(region.id, region.name, region.label, style, words)
    rows = db.session.execute(
        sa.select(
            GeoAddress.region_id,
            GeoAddress.street_key,
            GeoAddress.street,
            GeoAddress.postcode,
            GeoAddress.city,
            sa.func.count(),
        ).group_by(
            GeoAddress.region_id,
            GeoAddress.street_key,
            GeoAddress.street,
            GeoAddress.postcode,
            GeoAddress.city,
        )
    )
    grouped: dict[tuple[int, str], dict] = {}
    for region_id, stored_key, street, postcode, city, count in rows:
        group = grouped.setdefault(
            (region_id, street_key(street)),
            {"names": Counter(), "keys": set(), "postcodes": set(), "cities": set()},
        )
        group["names"][street] += count
        group["keys"].add(stored_key)
        if postcode:
            group["postcodes"].add(postcode_key(postcode))
        if city:
            group["cities"].add(place_key(city))
    entries = [
        (
            key,
            StreetEntry(
                region_id,
                group["names"].most_common(1)[0][0],
                tuple(sorted(group["keys"])),
                frozenset(group["postcodes"]),
                frozenset(group["cities"]),
            ),
        )
        for (region_id, key), group in grouped.items()
        if key
    ]
    return StreetIndex(regions, entries)


def forget_indexes() -> None:
    """Drop every cached index (the next look-up rebuilds)."""
    with _lock:
        _cache.clear()
