"""From a street the gazetteer matched to geopy Locations, in one region.

The exact door (or a range holding it), a number interpolated between its known
neighbours, the middle of the street when no number was asked, or the nearest known
numbers as candidates. ``portal.geo.gazetteer`` decides which street was meant.
"""

from dataclasses import dataclass, replace

import sqlalchemy as sa
from geopy.location import Location

from portal.extensions import db
from portal.geo.address_query import AddressQuery
from portal.geo.gazetteer_text import housenumber_key, leading_number, postcode_key, street_key
from portal.geo.street_index import RegionInfo, StreetEntry
from portal.models import GeoAddress

MAX_INTERPOLATION_GAP = 40  # house numbers; wider gaps are more likely different blocks


@dataclass(frozen=True)
class AddressRow:
    """One stored address (`GeoAddress` row) as the gazetteer works with it."""

    street: str
    housenumber: str
    number: int | None
    postcode: str
    city: str
    lat: float
    lon: float
    region_id: int = 0


@dataclass(frozen=True)
class StreetMatch:
    """What one reading of the query matched, before it becomes Locations."""

    reading: AddressQuery
    street_text: str  # the words of the query that named the street
    city: str | None  # the words taken as the city (given, or left over from the street)
    entries: list[StreetEntry]
    fuzzy: bool
    used_postcode: bool
    used_city: bool


def address_select() -> sa.Select:
    """The `GeoAddress` columns an `AddressRow` is made of, in its field order."""
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


def address_rows(stmt) -> list[AddressRow]:
    return [AddressRow(*row) for row in db.session.execute(stmt)]


def street_rows(region_id: int, entries: list[StreetEntry]) -> list[AddressRow]:
    """The stored addresses of these streets in one region."""
    keys = sorted({k for e in entries for k in e.stored_keys})
    names = {e.street for e in entries}
    stmt = address_select().where(
        GeoAddress.region_id == region_id, GeoAddress.street_key.in_(keys)
    )
    rows = address_rows(stmt)
    # A stored key can hold another street's spelling only from an older import; keep ours.
    folded = {street_key(n) for n in names}
    return [r for r in rows if street_key(r.street) in folded]


def locate(
    match: StreetMatch,
    region_id: int,
    entries: list[StreetEntry],
    regions: dict[int, RegionInfo],
    limit: int,
) -> list[Location]:
    """The answers in one region: exact, interpolated, the street, or nearby numbers."""
    rows = street_rows(region_id, entries)
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
        return [located_address(_averaged(exact), regions, kind, **extra)]
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
        located_address(a, regions, "candidate", asked_number=number, **extra)
        for _, _, a in numbered[:limit]
    ]


def _in_range(housenumber: str, wanted: int) -> bool:
    """Is ``wanted`` one of a range's numbers ("29-31" holds 29, 31 and, if odd-only, 30 not)."""
    low, _, high = housenumber.partition("-")
    if not (low.isdigit() and high.isdigit()):
        return False
    low_n, high_n = int(low), int(high)
    return low_n <= wanted <= high_n and (wanted - low_n) % (2 if high_n - low_n > 1 else 1) == 0


def located_address(
    address: AddressRow, regions: dict[int, RegionInfo], match: str, **extra
) -> Location:
    """``address`` as a geopy Location labelled the way its region writes addresses."""
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


def _unique(rows: list[AddressRow]) -> list[AddressRow]:
    """One entry per street + number (shops in one building share its address)."""
    groups: dict[tuple[str, str], list[AddressRow]] = {}
    for row in rows:
        groups.setdefault((street_key(row.street), housenumber_key(row.housenumber)), []).append(
            row
        )
    return [_averaged(group) for group in groups.values()]


def _averaged(group: list[AddressRow]) -> AddressRow:
    first = group[0]
    postcode = next((a.postcode for a in group if a.postcode), "")
    city = next((a.city for a in group if a.city), "")
    lat = sum(a.lat for a in group) / len(group)
    lon = sum(a.lon for a in group) / len(group)
    return replace(first, postcode=postcode, city=city, lat=lat, lon=lon)


def _interpolate(
    rows: list[AddressRow], wanted: int, regions: dict[int, RegionInfo], extra: dict
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
            return located_address(guess, regions, "interpolated", between=between, **extra)
    return None


def _street_centres(
    rows: list[AddressRow], regions: dict[int, RegionInfo], limit: int, extra: dict
) -> list[Location]:
    """Each matching street's known addresses averaged: a street, not a door."""
    by_street: dict[str, list[AddressRow]] = {}
    for row in rows:
        by_street.setdefault(street_key(row.street), []).append(row)
    results = []
    for group in list(by_street.values())[:limit]:
        centre = replace(_averaged(group), housenumber="", number=None)
        results.append(located_address(centre, regions, "street", **extra))
    return results
