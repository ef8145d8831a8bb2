"""Turn what a person typed into a point we can route from, or say clearly why not.

The geocoder is the local gazetteer by default, or any geopy geocoder named in the
settings (Nominatim on your own server, Photon, Pelias...) for deployments with
network access. Whichever answers, the point must lie inside an imported region.
"""

import re
from dataclasses import dataclass, field

from geopy.exc import GeopyError
from geopy.geocoders import get_geocoder_for_service
from geopy.location import Location

from portal.geo.address_query import clean, parse_address
from portal.geo.gazetteer import LocalGazetteer
from portal.geo.regions import covered_area_names, region_covering
from portal.geo.settings import GeoSettings

MAX_QUERY = 200
_LAT_LON = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


@dataclass
class GeocodeOutcome:
    """What became of a query.

    :param status: ``found``, ``ambiguous``, ``not_found``, ``outside_coverage``, ``invalid``.
    """

    status: str
    message: str
    location: Location | None = None
    candidates: list[Location] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return self.status == "found"

    @property
    def point(self) -> tuple[float, float]:
        assert self.location is not None
        return (self.location.latitude, self.location.longitude)


def parse_lat_lon(text: str) -> tuple[float, float] | None:
    """``"60.1694,24.9402"`` as a valid (lat, lon), or None when it is not a coordinate pair."""
    match = _LAT_LON.match(text or "")
    if not match:
        return None
    lat, lon = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def make_geocoder(settings: GeoSettings):
    """The configured geocoder: our gazetteer, or a geopy geocoder class built from options."""
    if settings.geocoder == "local":
        return LocalGazetteer()
    return get_geocoder_for_service(settings.geocoder)(**dict(settings.geocoder_options))


def _label(location: Location) -> str:
    return location.address


def resolve_address(query: str, settings: GeoSettings, geocoder=None) -> GeocodeOutcome:
    """Geocode ``query`` (an address or "lat,lon") and check it is inside our coverage.

    Queries with no street-like word (only digits, punctuation, emoji, control
    characters) are ``invalid`` before any geocoder is asked.
    """
    query = (query or "").strip()
    if not query:
        return GeocodeOutcome("invalid", "Enter an address, for example “Mannerheimintie 5”.")
    if len(query) > MAX_QUERY:
        return GeocodeOutcome(
            "invalid", f"That address is too long (at most {MAX_QUERY} characters)."
        )
    point = parse_lat_lon(query)
    if point:
        location = Location(f"{point[0]:.6f}, {point[1]:.6f}", point, {"match": "coordinates"})
        return _covered(location)
    if not parse_address(query):
        return GeocodeOutcome(
            "invalid", "Add the street name, for example “Mannerheimintie 5” or “27 Broad Street”."
        )
    geocoder = geocoder or make_geocoder(settings)
    try:
        found = geocoder.geocode(query, exactly_one=False, limit=5) or []
    except GeopyError as exc:
        return GeocodeOutcome(
            "not_found", f"The address service did not answer ({exc}). Try again."
        )
    if not found:
        message = f"We could not find “{clean(query)}”. Check the street name."
        return GeocodeOutcome("not_found", message)
    best = found[0]
    raw = best.raw or {}
    match = raw.get("match", "exact")
    if raw.get("tied"):
        places = " or ".join(dict.fromkeys(c.raw.get("city") or c.address for c in found))
        return GeocodeOutcome(
            "ambiguous",
            f"{raw.get('street', 'That street')} is in more than one area we cover ({places}). "
            "Add the city or postcode.",
            candidates=found,
        )
    if match == "candidate":
        names = ", ".join(_label(c) for c in found[:3])
        asked = raw.get("asked_number")
        found_part = (
            f"We found {raw.get('street')} but not number {asked}."
            if asked
            else ("We do not know that house number.")
        )
        return GeocodeOutcome(
            "not_found",
            f"{found_part} Did you mean: {names}?",
            candidates=found,
        )
    if match == "street":
        return GeocodeOutcome(
            "ambiguous",
            f"Which house on {raw.get('street', query)}? Add the house number.",
            candidates=found,
        )
    # External geocoders rank their answers; the first is their best.
    return _covered(best)


def _covered(location: Location) -> GeocodeOutcome:
    if region_covering(location.latitude, location.longitude) is None:
        names = covered_area_names()
        where = f" ({', '.join(names)})" if names else ""
        return GeocodeOutcome(
            "outside_coverage",
            f"That address is outside the area we cover{where}, so we cannot compute "
            "travel times to it.",
            location=location,
        )
    return GeocodeOutcome("found", "", location=location)
