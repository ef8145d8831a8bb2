"""Real addresses of five cities, typed the ways people type them, found where they are.

Table-driven per city (tests/data/cities, © OpenStreetMap contributors, ODbL): each
address in both number orders, with and without postcode and city, abbreviated and
spelt out; every exact match lies within 25 m of a feature carrying that address in
the extract (read here with pyosmium, independently of the importer).
"""

import os
from functools import cache

import osmium
import pytest

from portal.geo.distance import haversine_m
from portal.geo.geocoding import resolve_address
from portal.geo.importer import tidy_address
from portal.geo.settings import GeoSettings
from tests.imported_regions import CITY_DATA, CITY_EXTRACTS

SETTINGS = GeoSettings()
# (street, number, postcode, city, how the region prints it back)
ADDRESSES = {
    "bristol": [
        ("Broad Street", "27", "BS1 2HG", "Bristol", "27 Broad Street, Bristol BS1 2HG"),
        ("Corn Street", "47", "BS1 1HT", "Bristol", "47 Corn Street, Bristol BS1 1HT"),
        ("Quay Street", "11", "BS1 1DZ", "Bristol", "11 Quay Street, Bristol BS1 1DZ"),
        (
            "Saint Stephens Street",
            "1",
            "BS1 1EE",
            "Bristol",
            "1 Saint Stephens Street, Bristol BS1 1EE",
        ),
        ("Small Street", "13a", "BS1 1DE", "Bristol", "13a Small Street, Bristol BS1 1DE"),
    ],
    "singapore": [
        ("Bayfront Avenue", "1", "018971", "Singapore", "1 Bayfront Avenue, Singapore 018971"),
        ("Raffles Avenue", "5", "039797", "Singapore", "5 Raffles Avenue, Singapore 039797"),
        ("Raffles Boulevard", "6", "039594", "Singapore", "6 Raffles Boulevard, Singapore 039594"),
    ],
    "paris": [
        ("Rue Saint-Martin", "157", "", "Paris", "157 Rue Saint-Martin, Paris"),
        ("Rue Brantôme", "13", "75003", "Paris", "13 Rue Brantôme, 75003 Paris"),
        ("Boulevard de Sébastopol", "135", "", "", "135 Boulevard de Sébastopol, Paris"),
        ("Rue Charlot", "33b", "", "", "33b Rue Charlot, Paris"),
        ("Rue du Faubourg du Temple", "2", "", "", "2 Rue du Faubourg du Temple, Paris"),
    ],
    "roma": [
        ("Via Gaeta", "23", "", "", "Via Gaeta 23, Roma"),
        ("Via Castelfidardo", "33", "00185", "Roma", "Via Castelfidardo 33, 00185 Roma"),
        ("Via Montebello", "73/75", "00185", "Roma", "Via Montebello 73/75, 00185 Roma"),
        ("Via Volturno", "22", "00185", "Roma", "Via Volturno 22, 00185 Roma"),
    ],
    "amsterdam": [
        ("Darwinplantsoen", "25", "1097EZ", "Amsterdam", "Darwinplantsoen 25, 1097EZ Amsterdam"),
        ("Fizeaustraat", "37A", "1097SC", "Amsterdam", "Fizeaustraat 37A, 1097SC Amsterdam"),
        ("Von Liebigweg", "95-H", "1097RM", "Amsterdam", "Von Liebigweg 95-H, 1097RM Amsterdam"),
        (
            "Zwaardemakerstraat",
            "65",
            "1097SH",
            "Amsterdam",
            "Zwaardemakerstraat 65, 1097SH Amsterdam",
        ),
    ],
}
# How people shorten street words (and what our folding must undo).
SHORT = [
    ("Street", "St"),
    ("Avenue", "Ave"),
    ("Boulevard", "Blvd"),
    ("Saint-", "St-"),
    ("Faubourg", "Fbg"),
    ("straat", "str."),
]


def _short(street: str) -> str:
    for long, short in SHORT:
        street = street.replace(long, short)
    return street


def _queries(street: str, number: str, postcode: str, city: str) -> list[str]:
    """Every way the table's address is typed in this test, both orders first."""
    place_last = " ".join(p for p in (postcode, city) if p)  # "1097EZ Amsterdam"
    place_first = " ".join(p for p in (city, postcode) if p)  # "Bristol BS1 2HG"
    queries = []
    for name in dict.fromkeys([street, _short(street), street.lower()]):
        queries += [f"{number} {name}", f"{name} {number}", f"{number}, {name}"]
        if place_last:
            queries += [
                f"{name} {number}, {place_last}",
                f"{number} {name}, {place_first}",
                f"{number} {name} {place_first}",
            ]
    return list(dict.fromkeys(queries))


CASES = [
    pytest.param(city, row, query, id=f"{city}: {query}")
    for city, rows in ADDRESSES.items()
    for row in rows
    for query in _queries(*row[:4])
]


@cache
def _address_points(city: str) -> dict[tuple[str, str], list[tuple[float, float]]]:
    """Every node or way centre tagged with addr:street + addr:housenumber in the extract."""
    points: dict[tuple[str, str], list[tuple[float, float]]] = {}
    path = os.path.join(CITY_DATA, CITY_EXTRACTS[city])
    for obj in osmium.FileProcessor(path).with_locations():
        street, number = obj.tags.get("addr:street"), obj.tags.get("addr:housenumber")
        if not (street and number):
            continue
        if obj.is_node():
            where = [(obj.location.lat, obj.location.lon)]
        elif obj.is_way():
            where = [(n.location.lat, n.location.lon) for n in obj.nodes if n.location.valid()]
        else:
            continue
        if where:
            centre = (sum(p[0] for p in where) / len(where), sum(p[1] for p in where) / len(where))
            points.setdefault((street, number), []).append(centre)
    return points


@pytest.mark.parametrize(("city", "row", "query"), CASES)
def test_real_address_is_found_as_typed(city_regions, city, row, query):
    """The address is an exact match within 25 m of the mapped address, printed the local way."""
    street, number, _, _, printed = row
    outcome = resolve_address(query, SETTINGS)
    assert outcome.status == "found", outcome.message
    location = outcome.location
    assert location.raw["match"] == "exact"
    assert location.raw["region"] == city
    assert location.address == printed
    truth = _address_points(city)[(street, number)]
    nearest = min(haversine_m(location.latitude, location.longitude, *p) for p in truth)
    assert nearest <= 25


def test_each_region_reads_its_own_convention_from_the_extract(city_regions):
    """Country from addr:country (or the postcodes' shape), city from addr:city."""
    found = {name: (r.country, r.city) for name, r in city_regions.items()}
    assert found == {
        "bristol": ("GB", "Bristol"),
        "singapore": ("SG", "Singapore"),
        "paris": ("FR", "Paris"),
        "roma": ("IT", "Roma"),
        "amsterdam": ("NL", "Amsterdam"),
    }


def test_a_unit_is_kept_apart_from_the_house_number(city_regions):
    """ "Flat 2" and "/ 3" are units: the building is found, the unit travels with it."""
    flat = resolve_address("Flat 2, 27 Broad St, Bristol", SETTINGS)
    assert flat.found
    assert flat.location.raw["housenumber"] == "27"
    assert flat.location.raw["unit"] == "Flat 2"
    slash = resolve_address("Via Gaeta 23 / 3", SETTINGS)
    assert slash.found
    assert slash.location.raw["unit"] == "/ 3"


def test_a_number_inside_a_range_finds_the_range(city_regions):
    """ "29 Broad Street" is the building mapped as 29-31."""
    outcome = resolve_address("29 Broad Street", SETTINGS)
    assert outcome.found
    assert outcome.location.raw["housenumber"] == "29-31"


def test_an_unknown_number_says_what_was_found(city_regions):
    """ "we found Broad Street but not number 270", with the nearest real numbers."""
    outcome = resolve_address("270 Broad Street", SETTINGS)
    assert outcome.status == "not_found"
    assert "We found Broad Street but not number 270" in outcome.message
    assert outcome.candidates
    assert all(c.raw["match"] == "candidate" for c in outcome.candidates)
    assert outcome.candidates[0].raw["ignored"] == ["270"]


def test_mis_tagged_singapore_addresses_are_repaired_at_import(city_regions):
    """A unit in addr:housenumber and the number in addr:street: 2 Bayfront Avenue after all."""
    row = {"street": "2 Bayfront Avenue, Galleria Level", "housenumber": "#B1-01E"}
    assert tidy_address(row) == {"street": "Bayfront Avenue", "housenumber": "2"}
    assert tidy_address({"street": "Bayfront Avenue", "housenumber": "Level 57, 10"}) == {
        "street": "Bayfront Avenue",
        "housenumber": "10",
    }
    outcome = resolve_address("2 Bayfront Avenue", SETTINGS)
    assert outcome.found
    assert outcome.location.address.startswith("2 Bayfront Avenue, Singapore 0189")
