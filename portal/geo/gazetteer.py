"""An offline geocoder over the imported `addr:*` tags, with geopy's interface.

``LocalGazetteer().geocode("Mannerheimintie 5")`` returns a ``geopy.location.Location``
like any geopy geocoder; ``raw["match"]`` says how it was found:
``exact`` (street and number), ``fuzzy`` (a misspelt street), ``interpolated``
(between two known numbers on the same side of the street) or ``street`` (no
number given: the middle of the known addresses).
"""

import difflib
from dataclasses import dataclass

import sqlalchemy as sa
from geopy.location import Location
from geopy.point import Point

from portal.extensions import db
from portal.geo.distance import degrees_box, haversine_m
from portal.geo.gazetteer_text import leading_number, split_query, street_key
from portal.models import GeoAddress

FUZZY_CUTOFF = 0.75
MAX_INTERPOLATION_GAP = 40  # house numbers; wider gaps are more likely different blocks
REVERSE_RADIUS_M = 150


@dataclass(frozen=True)
class _Address:
    street: str
    housenumber: str
    number: int | None
    postcode: str
    city: str
    lat: float
    lon: float

    def label(self) -> str:
        place = f"{self.postcode} {self.city}".strip()
        line = f"{self.street} {self.housenumber}".strip()
        return line + (f", {place}" if place else "")


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
        stmt = self._select().where(
            GeoAddress.lat.between(min_lat, max_lat), GeoAddress.lon.between(min_lon, max_lon)
        )
        near = sorted((haversine_m(lat, lon, a.lat, a.lon), a) for a in self._rows(stmt))
        near = [(d, a) for d, a in near if d <= REVERSE_RADIUS_M]
        results = [_location(a, "reverse", distance_m=round(d)) for d, a in near[:5]]
        if exactly_one:
            return results[0] if results else None
        return results

    def suggest(self, text: str, limit: int = 8) -> list[str]:
        """Known addresses starting with what was typed, for autocomplete ("Manner" → streets)."""
        street, number, _ = split_query(text)
        if number is None:
            street, number = text, ""
        key = street_key(street)
        if len(key) < 2:
            return []
        escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = (
            sa.select(GeoAddress.street, GeoAddress.housenumber, GeoAddress.number)
            .where(GeoAddress.street_key.like(f"{escaped}%", escape="\\"))
            .distinct()
        )
        if self.region_id is not None:
            stmt = stmt.where(GeoAddress.region_id == self.region_id)
        if number:
            stmt = stmt.where(GeoAddress.housenumber.like(f"{number}%"))
        rows = sorted(db.session.execute(stmt.limit(400)), key=lambda r: (r.street, r.number or 0))
        return list(dict.fromkeys(f"{r.street} {r.housenumber}" for r in rows))[:limit]

    # the work ----------------------------------------------------------------------
    def candidates(self, query: str, limit: int = 5) -> list[Location]:
        """Matches for ``query``, best first: exact, then interpolated, then nearby numbers."""
        street, number, _ = split_query(query)
        key = street_key(street)
        if not key:
            return []
        match_kind = "exact"
        rows = self._street(key)
        if not rows:
            close = difflib.get_close_matches(key, self._street_keys(), n=3, cutoff=FUZZY_CUTOFF)
            if not close:
                return []
            match_kind = "fuzzy"
            rows = [row for candidate in close for row in self._street(candidate)]
        if number is None:
            return _street_centres(rows, limit)
        exact = [a for a in rows if a.housenumber.lower() == number]
        if not exact and leading_number(number) is not None and not number.isdigit():
            exact = [a for a in rows if a.housenumber.lower() == str(leading_number(number))]
        if exact:
            return [_location(_averaged(exact), match_kind)]
        wanted = leading_number(number)
        located = _interpolate(rows, wanted) if wanted is not None else None
        if located:
            return [located]
        # No such number: offer the closest numbers on the street as candidates.
        numbered = sorted(
            (abs((a.number or 0) - (wanted or 0)), a.housenumber, a)
            for a in _unique(rows)
            if a.number is not None
        )
        return [_location(a, "candidate") for _, _, a in numbered[:limit]]

    def _select(self) -> sa.Select:
        stmt = sa.select(GeoAddress)
        if self.region_id is not None:
            stmt = stmt.where(GeoAddress.region_id == self.region_id)
        return stmt

    @staticmethod
    def _rows(stmt) -> list[_Address]:
        return [
            _Address(a.street, a.housenumber, a.number, a.postcode, a.city, a.lat, a.lon)
            for a in db.session.scalars(stmt)
        ]

    def _street(self, key: str) -> list[_Address]:
        return self._rows(self._select().where(GeoAddress.street_key == key))

    def _street_keys(self) -> list[str]:
        stmt = sa.select(GeoAddress.street_key).distinct()
        if self.region_id is not None:
            stmt = stmt.where(GeoAddress.region_id == self.region_id)
        return list(db.session.scalars(stmt))


def _location(address: _Address, match: str, **extra) -> Location:
    raw = {
        "match": match,
        "street": address.street,
        "housenumber": address.housenumber,
        "postcode": address.postcode,
        "city": address.city,
    } | extra
    return Location(address.label(), (address.lat, address.lon), raw)


def _unique(rows: list[_Address]) -> list[_Address]:
    """One entry per street + number (shops in one building share its address)."""
    groups: dict[tuple[str, str], list[_Address]] = {}
    for row in rows:
        groups.setdefault((row.street, row.housenumber.lower()), []).append(row)
    return [_averaged(group) for group in groups.values()]


def _averaged(group: list[_Address]) -> _Address:
    first = group[0]
    postcode = next((a.postcode for a in group if a.postcode), "")
    city = next((a.city for a in group if a.city), "")
    lat = sum(a.lat for a in group) / len(group)
    lon = sum(a.lon for a in group) / len(group)
    return _Address(first.street, first.housenumber, first.number, postcode, city, lat, lon)


def _interpolate(rows: list[_Address], wanted: int) -> Location | None:
    """Place ``wanted`` between the nearest known numbers around it, same side first."""
    numbered = [a for a in _unique(rows) if a.number is not None]
    for same_side in (True, False):
        pool = [a for a in numbered if not same_side or a.number % 2 == wanted % 2]
        below = max((a for a in pool if a.number < wanted), key=lambda a: a.number, default=None)
        above = min((a for a in pool if a.number > wanted), key=lambda a: a.number, default=None)
        if below and above and above.number - below.number <= MAX_INTERPOLATION_GAP:
            share = (wanted - below.number) / (above.number - below.number)
            lat = below.lat + share * (above.lat - below.lat)
            lon = below.lon + share * (above.lon - below.lon)
            postcode = below.postcode or above.postcode
            city = below.city or above.city
            guess = _Address(below.street, str(wanted), wanted, postcode, city, lat, lon)
            return _location(guess, "interpolated", between=[below.housenumber, above.housenumber])
    return None


def _street_centres(rows: list[_Address], limit: int) -> list[Location]:
    """Each matching street's known addresses averaged: a street, not a door."""
    by_street: dict[str, list[_Address]] = {}
    for row in rows:
        by_street.setdefault(row.street, []).append(row)
    results = []
    for street, group in list(by_street.items())[:limit]:
        centre = _averaged(group)
        results.append(
            _location(
                _Address(street, "", None, centre.postcode, centre.city, centre.lat, centre.lon),
                "street",
            )
        )
    return results
