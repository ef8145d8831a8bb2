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

from geopy.location import Location
from geopy.point import Point

from portal.geo.address_query import AddressQuery, parse_address
from portal.geo.distance import degrees_box, haversine_m
from portal.geo.gazetteer_answers import (
    StreetMatch,
    address_rows,
    address_select,
    locate,
    located_address,
    street_rows,
)
from portal.geo.gazetteer_text import housenumber_key, place_key, postcode_key, street_key
from portal.geo.street_index import RegionInfo, StreetEntry, StreetIndex, street_index
from portal.models import GeoAddress

REVERSE_RADIUS_M = 150
# Best first: what a match kind is worth when answers from several regions compete.
MATCH_RANK = {"exact": 0, "interpolated": 1, "fuzzy": 2, "street": 3, "candidate": 4}


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
        stmt = address_select().where(
            GeoAddress.lat.between(min_lat, max_lat), GeoAddress.lon.between(min_lon, max_lon)
        )
        if self.region_id is not None:
            stmt = stmt.where(GeoAddress.region_id == self.region_id)
        near = sorted(
            ((haversine_m(lat, lon, a.lat, a.lon), a) for a in address_rows(stmt)),
            key=lambda item: item[0],
        )
        near = [(d, a) for d, a in near if d <= REVERSE_RADIUS_M]
        regions = street_index().regions
        results = [located_address(a, regions, "reverse", distance_m=round(d)) for d, a in near[:5]]
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
            for row in street_rows(region_id, group):
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
            locate(match, region_id, group, index.regions, limit)
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

    def _match(self, reading: AddressQuery, index: StreetIndex, fuzzy: bool) -> StreetMatch | None:
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
) -> StreetMatch:
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
    return StreetMatch(reading, street_text, city, entries, fuzzy, used_postcode, used_city)


def _by_region(entries: list[StreetEntry]) -> dict[int, list[StreetEntry]]:
    groups: dict[int, list[StreetEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.region_id, []).append(entry)
    return groups


def _flag_tied(location: Location) -> Location:
    point = (location.latitude, location.longitude)
    return Location(location.address, point, location.raw | {"tied": True})
