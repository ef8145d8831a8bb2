"""An offline geocoder over the imported `addr:*` tags of every region, with geopy's interface.

``LocalGazetteer().geocode("27 Broad St, Bristol")`` returns a ``geopy.location.Location``
like any geopy geocoder, its address written the way its region writes addresses
("27 Broad Street, Bristol BS1 2HG"). ``raw`` says what was found and from which
parts of the query:

- ``match``: ``exact`` (street and number), ``fuzzy`` (a misspelt street, number
  found), ``interpolated`` (between two known numbers on the same side of the street),
  ``street`` (no number given: the middle of the known addresses) or ``candidate``
  (the street is known but not that number; a nearby number is offered);
- ``used``: the query's parts that matched (street, housenumber, postcode, city);
  ``ignored``: those that did not; ``unit``: a flat or unit, kept apart;
- ``region`` and ``city``; ``tied`` when equally good answers lie in several regions
  and nothing in the query tells them apart.
"""

from dataclasses import dataclass, replace

import sqlalchemy as sa
from geopy.location import Location
from geopy.point import Point

from portal.extensions import db
from portal.geo.address_query import AddressQuery, parse_address
from portal.geo.distance import degrees_box, haversine_m
from portal.geo.gazetteer_text import (
    housenumber_key,
    leading_number,
    place_key,
    postcode_key,
    street_key,
)
from portal.geo.street_index import RegionInfo, StreetEntry, StreetIndex, street_index
from portal.models import GeoAddress

MAX_INTERPOLATION_GAP = 40  # house numbers; wider gaps are more likely different blocks
REVERSE_RADIUS_M = 150
# Best first: what a match kind is worth when answers from several regions compete.
MATCH_RANK = {"exact": 0, "interpolated": 1, "fuzzy": 2, "street": 3, "candidate": 4}


@dataclass(frozen=True)
class _Address:
    street: str
    housenumber: str
    number: int | None
    postcode: str
    city: str
    lat: float
    lon: float
    region_id: int = 0


@dataclass(frozen=True)
class _Match:
    """What one reading of the query matched, before it becomes Locations."""

    reading: AddressQuery
    street_text: str  # the words of the query that named the street
    city: str | None  # the words taken as the city (given, or left over from the street)
    entries: list[StreetEntry]
    fuzzy: bool
    used_postcode: bool
    used_city: bool


class LocalGazetteer:
    """geopy-style geocoder over the imported gazetteer of one region (or all regions)."""

    def __init__(self, region_id: int | None = None):
        self.region_id = region_id

    # geopy's interface -------------------------------------------------------------
    def geocode(self, query: str, exactly_one: bool = True, limit: int | None = None):
        """Best match for ``query`` (or up to ``limit`` candidates when not exactly_one)."""
        found = self.candidates(query, limit or (1 if exactly_one else 5))
        if exactly_one:
            return found[0] if found else None
        return found

    def reverse(self, query, exactly_one: bool = True):
        """The nearest known address within 150 m of a point ("lat, lon", tuple or Point)."""
        point = Point(query)
        lat, lon = point.latitude, point.longitude
        min_lat, min_lon, max_lat, max_lon = degrees_box(lat, lon, REVERSE_RADIUS_M)
        stmt = _address_select().where(
            GeoAddress.lat.between(min_lat, max_lat), GeoAddress.lon.between(min_lon, max_lon)
        )
        if self.region_id is not None:
            stmt = stmt.where(GeoAddress.region_id == self.region_id)
        near = sorted(
            ((haversine_m(lat, lon, a.lat, a.lon), a) for a in _rows(stmt)),
            key=lambda item: item[0],
        )
        near = [(d, a) for d, a in near if d <= REVERSE_RADIUS_M]
        regions = street_index().regions
        results = [_location(a, regions, "reverse", distance_m=round(d)) for d, a in near[:5]]
        if exactly_one:
            return results[0] if results else None
        return results

    def suggest(self, text: str, limit: int = 8) -> list[str]:
        """Known addresses starting with what was typed, for autocomplete ("Manner" → streets)."""
        readings = parse_address(text)
        if not readings:
            return []
        reading = readings[0]
        key = street_key(reading.street)
        if len(key) < 2:
            return []
        index = street_index()
        entries = [e for k in index.starting_with(key, 50) for e in index.lookup(k, self.region_id)]
        number = housenumber_key(reading.housenumber or "")
        lines: list[tuple[str, int, str]] = []
        for region_id, group in _by_region(entries).items():
            style = index.regions[region_id].style
            for row in _street_rows(region_id, group):
                if number and not housenumber_key(row.housenumber).startswith(number):
                    continue
                lines.append(
                    (row.street, row.number or 0, style.street_line(row.street, row.housenumber))
                )
        lines.sort(key=lambda item: (item[0], item[1]))
        return list(dict.fromkeys(line for _, _, line in lines))[:limit]

    # the work ----------------------------------------------------------------------
    def candidates(self, query: str, limit: int = 5) -> list[Location]:
        """Matches for ``query``, best first: exact, then interpolated, then nearby numbers."""
        readings = parse_address(query)
        if not readings:
            return []
        index = street_index()
        match = None
        for reading in readings:
            match = self._match(reading, index, fuzzy=False)
            if match:
                break
        else:
            for reading in readings[:2]:
                match = self._match(reading, index, fuzzy=True)
                if match:
                    break
        if match is None:
            return []
        per_region = [
            _locate(match, region_id, group, index.regions, limit)
            for region_id, group in _by_region(match.entries).items()
        ]
        per_region = [found for found in per_region if found]
        per_region.sort(key=lambda found: MATCH_RANK.get(found[0].raw["match"], 9))
        if not per_region:
            return []
        best_rank = MATCH_RANK.get(per_region[0][0].raw["match"], 9)
        tied = [f for f in per_region if MATCH_RANK.get(f[0].raw["match"], 9) == best_rank]
        if len(tied) > 1:
            # Equally good in several regions: one answer from each, flagged for the caller.
            return [_flag_tied(found[0]) for found in tied][:limit]
        return per_region[0][:limit]

    def _match(self, reading: AddressQuery, index: StreetIndex, fuzzy: bool) -> _Match | None:
        words = reading.street.split()
        # The street, then (the street reading on past the number or without a city)
        # ever fewer of its words, the rest being the city: "Broad Street Bristol".
        spans = [len(words)]
        if reading.number_first or reading.housenumber is None or reading.city is None:
            spans += list(range(len(words) - 1, 0, -1))
        for span in spans:
            street_text = " ".join(words[:span])
            key = street_key(street_text)
            if not key:
                continue
            keys = index.close_keys(key) if fuzzy else [key]
            entries = [e for k in keys for e in index.lookup(k, self.region_id)]
            if not entries:
                continue
            if fuzzy:
                first = street_key(entries[0].street)
                entries = [e for e in entries if street_key(e.street) == first]
            rest = " ".join(words[span:]) or None
            city = reading.city if reading.city and not rest else (rest or reading.city)
            return _narrow(reading, street_text, city, entries, index.regions, fuzzy)
        return None


def _narrow(
    reading: AddressQuery,
    street_text: str,
    city: str | None,
    entries: list[StreetEntry],
    regions: dict[int, RegionInfo],
    fuzzy: bool,
) -> _Match:
    """Keep the streets whose postcode or city the query names (when any of them does)."""
    used_postcode = used_city = False
    if reading.postcode:
        code = postcode_key(reading.postcode)
        same = [e for e in entries if code in e.postcodes]
        if same:
            entries, used_postcode = same, True
    if city:
        wanted = place_key(city)
        words = set(wanted.split())
        same = [
            e
            for e in entries
            if wanted in e.cities or (words and words <= regions[e.region_id].words)
        ]
        if same:
            entries, used_city = same, True
    return _Match(reading, street_text, city, entries, fuzzy, used_postcode, used_city)


def _by_region(entries: list[StreetEntry]) -> dict[int, list[StreetEntry]]:
    groups: dict[int, list[StreetEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.region_id, []).append(entry)
    return groups


def _address_select() -> sa.Select:
    return sa.select(
        GeoAddress.street,
        GeoAddress.housenumber,
        GeoAddress.number,
        GeoAddress.postcode,
        GeoAddress.city,
        GeoAddress.lat,
        GeoAddress.lon,
        GeoAddress.region_id,
    )


def _rows(stmt) -> list[_Address]:
    return [_Address(*row) for row in db.session.execute(stmt)]


def _street_rows(region_id: int, entries: list[StreetEntry]) -> list[_Address]:
    keys = sorted({k for e in entries for k in e.stored_keys})
    names = {e.street for e in entries}
    stmt = _address_select().where(
        GeoAddress.region_id == region_id, GeoAddress.street_key.in_(keys)
    )
    rows = _rows(stmt)
    # A stored key can hold another street's spelling only from an older import; keep ours.
    folded = {street_key(n) for n in names}
    return [r for r in rows if street_key(r.street) in folded]


def _locate(
    match: _Match,
    region_id: int,
    entries: list[StreetEntry],
    regions: dict[int, RegionInfo],
    limit: int,
) -> list[Location]:
    """The answers in one region: exact, interpolated, the street, or nearby numbers."""
    rows = _street_rows(region_id, entries)
    if match.used_postcode and match.reading.postcode:
        code = postcode_key(match.reading.postcode)
        same = [r for r in rows if postcode_key(r.postcode) == code]
        rows = same or rows
    if not rows:
        return []
    reading = match.reading
    used = {"street": match.street_text}
    if match.used_postcode:
        used["postcode"] = reading.postcode
    if match.used_city:
        used["city"] = match.city
    ignored = [
        part
        for part, taken in (
            (reading.postcode, match.used_postcode),
            (match.city, match.used_city),
        )
        if part and not taken
    ]
    extra = {"used": used, "ignored": ignored, "unit": reading.unit}
    number = reading.housenumber
    if number is None:
        return _street_centres(rows, regions, limit, extra)
    wanted_key = housenumber_key(number)
    exact = [a for a in rows if housenumber_key(a.housenumber) == wanted_key]
    wanted = leading_number(wanted_key)
    if not exact and wanted is not None:
        exact = [a for a in rows if _in_range(a.housenumber, wanted)]
    if not exact and wanted is not None and not wanted_key.isdigit():
        exact = [a for a in rows if housenumber_key(a.housenumber) == str(wanted)]
    extra["used"] = used | {"housenumber": number}
    kind = "fuzzy" if match.fuzzy else "exact"
    if exact:
        return [_location(_averaged(exact), regions, kind, **extra)]
    located = _interpolate(rows, wanted, regions, extra) if wanted is not None else None
    if located:
        return [located]
    # No such number: offer the closest numbers on the street as candidates.
    extra["used"] = used
    extra["ignored"] = [*ignored, number]
    numbered = sorted(
        (abs((a.number or 0) - (wanted or 0)), a.housenumber, a)
        for a in _unique(rows)
        if a.number is not None
    )
    return [
        _location(a, regions, "candidate", asked_number=number, **extra)
        for _, _, a in numbered[:limit]
    ]


def _in_range(housenumber: str, wanted: int) -> bool:
    """Is ``wanted`` one of a range's numbers ("29-31" holds 29, 31 and, if odd-only, 30 not)."""
    low, _, high = housenumber.partition("-")
    if not (low.isdigit() and high.isdigit()):
        return False
    low_n, high_n = int(low), int(high)
    return low_n <= wanted <= high_n and (wanted - low_n) % (2 if high_n - low_n > 1 else 1) == 0


def _location(address: _Address, regions: dict[int, RegionInfo], match: str, **extra) -> Location:
    region = regions.get(address.region_id)
    city = address.city or (region.label if region else "")
    style = region.style if region else None
    if style is None:
        line = f"{address.street} {address.housenumber}".strip()
        label = line + (f", {address.postcode} {city}".rstrip() if address.postcode else "")
    else:
        label = style.format(address.street, address.housenumber, address.postcode, city)
    raw = {
        "match": match,
        "street": address.street,
        "housenumber": address.housenumber,
        "postcode": address.postcode,
        "city": city,
        "region": region.name if region else "",
    } | extra
    return Location(label, (address.lat, address.lon), raw)


def _flag_tied(location: Location) -> Location:
    point = (location.latitude, location.longitude)
    return Location(location.address, point, location.raw | {"tied": True})


def _unique(rows: list[_Address]) -> list[_Address]:
    """One entry per street + number (shops in one building share its address)."""
    groups: dict[tuple[str, str], list[_Address]] = {}
    for row in rows:
        groups.setdefault((street_key(row.street), housenumber_key(row.housenumber)), []).append(
            row
        )
    return [_averaged(group) for group in groups.values()]


def _averaged(group: list[_Address]) -> _Address:
    first = group[0]
    postcode = next((a.postcode for a in group if a.postcode), "")
    city = next((a.city for a in group if a.city), "")
    lat = sum(a.lat for a in group) / len(group)
    lon = sum(a.lon for a in group) / len(group)
    return replace(first, postcode=postcode, city=city, lat=lat, lon=lon)


def _interpolate(
    rows: list[_Address], wanted: int, regions: dict[int, RegionInfo], extra: dict
) -> Location | None:
    """Place ``wanted`` between the nearest known numbers around it, same side first."""
    numbered = [a for a in _unique(rows) if a.number is not None]
    for same_side in (True, False):
        pool = [a for a in numbered if not same_side or a.number % 2 == wanted % 2]
        below = max((a for a in pool if a.number < wanted), key=lambda a: a.number, default=None)
        above = min((a for a in pool if a.number > wanted), key=lambda a: a.number, default=None)
        if below and above and above.number - below.number <= MAX_INTERPOLATION_GAP:
            share = (wanted - below.number) / (above.number - below.number)
            guess = replace(
                below,
                housenumber=str(wanted),
                number=wanted,
                postcode=below.postcode or above.postcode,
                city=below.city or above.city,
                lat=below.lat + share * (above.lat - below.lat),
                lon=below.lon + share * (above.lon - below.lon),
            )
            between = [below.housenumber, above.housenumber]
            return _location(guess, regions, "interpolated", between=between, **extra)
    return None


def _street_centres(
    rows: list[_Address], regions: dict[int, RegionInfo], limit: int, extra: dict
) -> list[Location]:
    """Each matching street's known addresses averaged: a street, not a door."""
    by_street: dict[str, list[_Address]] = {}
    for row in rows:
        by_street.setdefault(street_key(row.street), []).append(row)
    results = []
    for group in list(by_street.values())[:limit]:
        centre = replace(_averaged(group), housenumber="", number=None)
        results.append(_location(centre, regions, "street", **extra))
    return results
