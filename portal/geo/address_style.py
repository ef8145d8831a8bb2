"""How a region writes addresses: "27 Broad Street, Bristol BS1 2HG" or "Via Gaeta 23, 00185 Roma".

Decided at import from the extract (its ``addr:country`` tags, else the shape of its
postcodes), overridable per region (``flask geo import --country`` / ``--number-first``).
"""

import re
from collections import Counter
from dataclasses import dataclass

# Where the house number goes before the street (the rest of the world writes it after).
NUMBER_FIRST = frozenset(
    {"GB", "IE", "US", "CA", "AU", "NZ", "FR", "SG", "LU", "MY", "IN", "PH", "ZA", "HK", "IL", "TH"}
)
# Where the postcode follows the city ("Bristol BS1 2HG", "Singapore 018971").
POSTCODE_AFTER_CITY = frozenset({"GB", "IE", "US", "CA", "AU", "NZ", "SG", "IN", "HK"})
ADDRESS_ORDERS = ("number_first", "number_last")
_POSTCODE_SHAPES = [
    ("GB", re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$", re.A)),
    ("NL", re.compile(r"^\d{4} ?[A-Z]{2}$", re.A)),
    ("SG", re.compile(r"^\d{6}$", re.A)),
]


@dataclass(frozen=True)
class AddressStyle:
    number_first: bool = False
    postcode_after_city: bool = False

    @classmethod
    def for_region(cls, country: str | None, order: str | None = None) -> "AddressStyle":
        """The style of ``country`` (ISO 3166 alpha-2), ``order`` overriding the number's place."""
        country = (country or "").upper()
        number_first = country in NUMBER_FIRST if order is None else order == "number_first"
        return cls(number_first, country in POSTCODE_AFTER_CITY)

    def street_line(self, street: str, housenumber: str) -> str:
        if not housenumber:
            return street
        return f"{housenumber} {street}" if self.number_first else f"{street} {housenumber}"

    def format(self, street: str, housenumber: str, postcode: str = "", city: str = "") -> str:
        """The address as the region writes it; parts that are missing are left out."""
        place = f"{city} {postcode}" if self.postcode_after_city else f"{postcode} {city}"
        place = " ".join(place.split())
        line = self.street_line(street, housenumber)
        return f"{line}, {place}" if place else line


def infer_country(addresses: list[dict]) -> str | None:
    """The country of an extract's addresses: their ``addr:country``, else their postcodes."""
    tagged = Counter(a["country"].upper() for a in addresses if a.get("country"))
    if tagged:
        return tagged.most_common(1)[0][0][:2]
    shapes: Counter[str] = Counter()
    for address in addresses:
        postcode = address.get("postcode", "").strip().upper()
        for country, shape in _POSTCODE_SHAPES:
            if shape.match(postcode):
                shapes[country] += 1
                break
    if shapes:
        return shapes.most_common(1)[0][0]
    return None


def infer_city(addresses: list[dict]) -> str:
    """The extract's most common ``addr:city`` (empty when none is tagged)."""
    cities = Counter(a["city"] for a in addresses if a.get("city"))
    return cities.most_common(1)[0][0] if cities else ""
