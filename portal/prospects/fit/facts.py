"""The per-listing facts the fit ranking reads, built in exactly one place.

``build_listing_facts`` reads the unit and its property; ``geo_facts_of`` adds what
the geo services know (commute minutes to the visitor's places, the stored
neighbourhood summary), so fit, comparison and briefs use the same numbers as the
listing pages. A fact the geo services do not know stays None and the ranking
reports it as unknown rather than guessing.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from portal.extensions import db
from portal.geo.commute import Destination, commute_minutes
from portal.geo.settings import GeoSettings
from portal.models import NeighbourhoodSummary, Unit
from portal.prospects.topics import FACTS_KEYS

# Property amenities (as staff type them) that answer a yes/no priority.
PETS_AMENITIES = {"pets welcome", "pets allowed"}
IN_UNIT_LAUNDRY = {"in-unit laundry", "washing machine"}
SHARED_LAUNDRY = {"laundry room"}
PARKING_AMENITIES = {"parking garage", "parking", "parking space"}
STEP_FREE_AMENITIES = {"step-free access"}
LIFT_AMENITIES = {"lift", "elevator"}


@dataclass(frozen=True)
class ListingFacts:
    unit_id: int
    rent_eur: int
    bedrooms: int
    area_m2: float
    available_from: date
    floor: int
    internet_down_mbps: int | None
    pets_allowed: bool
    laundry: str  # "in_unit", "shared" or "none"
    parking: bool
    step_free: bool
    # From the geo services; None means "not known for this listing".
    commute_minutes: Mapping[str, int | None] | None = None  # destination label -> minutes
    walkability: int | None = None  # 0-100
    walk_minutes_to_nearest: Mapping[str, float | None] | None = None  # category -> minutes
    places_within_10_min: Mapping[str, int] | None = None  # category -> count
    transit_access: int | None = None  # 0-100


def build_listing_facts(
    unit: Unit,
    *,
    commute_minutes: Mapping[str, int | None] | None = None,
    walkability: int | None = None,
    walk_minutes_to_nearest: Mapping[str, float | None] | None = None,
    places_within_10_min: Mapping[str, int] | None = None,
    transit_access: int | None = None,
) -> ListingFacts:
    """Facts of one listing from its unit and property, plus the geo facts when known.

    :param commute_minutes: minutes from the listing to each of the prospect's
        destinations (the geo commute service); None when not computed.
    """
    prop = unit.property
    amenities = {a.strip().lower() for a in prop.amenities or []}
    best = prop.best_internet
    if amenities & IN_UNIT_LAUNDRY:
        laundry = "in_unit"
    elif amenities & SHARED_LAUNDRY:
        laundry = "shared"
    else:
        laundry = "none"
    # A step-free entrance helps only if the home is on the ground floor or has a lift.
    step_free = bool(amenities & STEP_FREE_AMENITIES) and (
        unit.floor <= 1 or bool(amenities & LIFT_AMENITIES)
    )
    return ListingFacts(
        unit_id=unit.id,
        rent_eur=unit.rent_eur,
        bedrooms=unit.bedrooms,
        area_m2=float(unit.area_m2),
        available_from=unit.available_from,
        floor=unit.floor,
        internet_down_mbps=best.max_down_mbps if best else None,
        pets_allowed=bool(amenities & PETS_AMENITIES),
        laundry=laundry,
        parking=bool(amenities & PARKING_AMENITIES),
        step_free=step_free,
        commute_minutes=commute_minutes,
        walkability=walkability,
        walk_minutes_to_nearest=walk_minutes_to_nearest,
        places_within_10_min=places_within_10_min,
        transit_access=transit_access,
    )


def geo_facts_of(
    destinations: list[Destination], settings: GeoSettings, base: Callable = build_listing_facts
) -> Callable[[Unit], ListingFacts]:
    """``base(unit, **geo)`` with commute minutes (each place by its preferred mode) and
    the stored neighbourhood summary of the unit's building, when there is one."""
    summaries: dict[int, NeighbourhoodSummary | None] = {}

    def summary_of(property_id: int) -> NeighbourhoodSummary | None:
        if property_id not in summaries:
            summaries[property_id] = db.session.scalar(
                sa.select(NeighbourhoodSummary).where(
                    NeighbourhoodSummary.property_id == property_id
                )
            )
        return summaries[property_id]

    def facts_of(unit: Unit) -> ListingFacts:
        prop = unit.property
        return base(
            unit,
            **commute_facts((prop.lat, prop.lon), destinations, settings),
            **summary_facts(summary_of(prop.id)),
        )

    return facts_of


def commute_facts(
    home: tuple[float, float], destinations: list[Destination], settings: GeoSettings
) -> dict:
    """``build_listing_facts`` arguments: minutes from ``home`` to each place, by its mode."""
    if not destinations:
        return {}
    return {
        "commute_minutes": {
            d.label: commute_minutes(home, d.point, d.mode, settings).minutes for d in destinations
        }
    }


def summary_facts(summary: NeighbourhoodSummary | None) -> dict:
    """``build_listing_facts`` arguments from a building's stored neighbourhood summary."""
    if summary is None:
        return {}
    categories = summary.facts.get("categories", {})
    nearest, within = {}, {}
    for category, key in FACTS_KEYS.items():
        found = categories.get(category)
        if found is None:
            continue
        nearest[key] = found["nearest"][0]["minutes"] if found["nearest"] else None
        within[key] = found["within"]["10"]
    return {
        "walkability": summary.walkability,
        "transit_access": summary.transit_access,
        "walk_minutes_to_nearest": nearest,
        "places_within_10_min": within,
    }
