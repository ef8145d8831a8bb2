"""Talking points for a tour: per priority, the facts the public listing page shows.

Nothing here computes a fact. The numbers and names come from the same sources the
listing page renders: the neighbourhood facts (``listings.neighbourhoods``), the
building's internet services, the fit facts (``prospects.fit.facts``) and the
commute table (``geo.commute`` via ``listings.services``). Each point names the
section of the public page it comes from (its heading and anchor), so the agent
can show the prospect the very same figure.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from portal.destinations.templating import commute_text
from portal.geo.commute import DestinationCommute
from portal.geo.modes import MODE_WORDS
from portal.models import Property, Unit
from portal.prospects.fit.facts import (
    LIFT_AMENITIES,
    PARKING_AMENITIES,
    PETS_AMENITIES,
    STEP_FREE_AMENITIES,
    ListingFacts,
)
from portal.prospects.topics import PLACE_CATEGORIES, TOPICS
from portal.templating import long_date, money

# The public listing page's sections: anchor id -> heading, as in listings/detail.html.
SECTIONS = {
    "facts-title": "The home",
    "building-title": "The building",
    "commute": "Your commute",
    "neighbourhood-title": "The neighbourhood",
    "internet-title": "Internet",
}
NEAREST_NAMED = 3
LAUNDRY_AMENITIES = {"in-unit laundry", "washing machine", "laundry room"}
_AMENITIES_OF = {
    "pets": PETS_AMENITIES,
    "laundry": LAUNDRY_AMENITIES,
    "parking": PARKING_AMENITIES,
    "accessibility": STEP_FREE_AMENITIES | LIFT_AMENITIES,
}


@dataclass(frozen=True)
class Fact:
    """One figure as the public page shows it, with its parts for machines."""

    label: str  # what it is: "Grocery", "Walkability", "Elisa", "Office"
    value: int | float | str | bool | None
    unit: str = ""  # "min", "/100", "Mbit/s", "EUR/month", "date", ""
    place: str | None = None  # the place, line or destination the figure is about
    text: str = ""  # the figure in the page's words


@dataclass(frozen=True)
class TalkingPoint:
    topic: str  # a TOPICS key, or "rent" for rent and availability
    label: str
    importance: str | None  # "must_have", "important", "nice", "inferred" or None
    section_anchor: str  # a key of SECTIONS
    facts: list[Fact] = field(default_factory=list)
    note: str = ""  # said when the public page has no fact for this topic

    @property
    def section(self) -> str:
        return SECTIONS[self.section_anchor]


def rent_point(unit: Unit | None, facts: ListingFacts | None) -> TalkingPoint:
    """Rent and availability of the toured home, as "The home" shows them."""
    if unit is None or facts is None:
        return TalkingPoint(
            "rent", "Rent and availability", None, "facts-title", note="No home chosen."
        )
    return TalkingPoint(
        "rent",
        "Rent and availability",
        None,
        "facts-title",
        [
            Fact("Rent", facts.rent_eur, "EUR/month", text=f"{money(facts.rent_eur)} a month"),
            Fact(
                "Available from",
                facts.available_from.isoformat(),
                "date",
                text=long_date(facts.available_from),
            ),
        ],
    )


def _place_facts(neighbourhood: dict, topic: str) -> list[Fact]:
    found = []
    for category, (answers, _) in PLACE_CATEGORIES.items():
        cat = neighbourhood.get("categories", {}).get(category)
        if answers != topic or cat is None:
            continue
        for place in cat["nearest"][:NEAREST_NAMED]:
            found.append(
                Fact(
                    cat["label"],
                    place["minutes"],
                    "min",
                    place["name"],
                    f"{place['name']} ({place['minutes']} min walk)",
                )
            )
        within = cat["within"]["10"]
        found.append(
            Fact(
                f"{cat['label']} within 10 min",
                within,
                "places",
                text=f"{within} within a 10-minute walk",
            )
        )
    return found


def _neighbourhood_point(topic: str, importance, neighbourhood: dict | None) -> TalkingPoint:
    label = TOPICS[topic]
    if neighbourhood is None:
        return TalkingPoint(
            topic,
            label,
            importance,
            "neighbourhood-title",
            note="We have no map data for this area, so the page shows no walking times.",
        )
    facts = []
    if topic == "walkability":
        walk = neighbourhood["walkability"]
        facts.append(
            Fact("Walkability", walk["score"], "/100", text=f"{walk['score']}/100 ({walk['band']})")
        )
    if topic == "transit":
        transit = neighbourhood["transit"]
        facts.append(
            Fact("Transit access", transit["score"], "/100", text=f"{transit['score']}/100")
        )
        named = set()
        # As the page lists them: named lines only, each once (the nearest stop first).
        for route in transit["routes"]:
            if not route["ref"] or (route["mode"], route["ref"]) in named:
                continue
            named.add((route["mode"], route["ref"]))
            mode = route["mode"].replace("subway", "metro")
            facts.append(
                Fact(
                    f"{mode.capitalize()} line",
                    route["minutes"],
                    "min",
                    route["ref"],
                    f"{mode} {route['ref']} ({route['minutes']} min walk)",
                )
            )
    facts += _place_facts(neighbourhood, topic)
    return TalkingPoint(topic, label, importance, "neighbourhood-title", facts)


def _internet_point(importance, prop: Property) -> TalkingPoint:
    facts = [
        Fact(
            s.provider,
            s.max_down_mbps,
            "Mbit/s",
            s.technology_label,
            f"{s.provider}: {s.technology_label}, {s.speed_label}",
        )
        for s in prop.internet_services
    ]
    return TalkingPoint(
        "internet",
        TOPICS["internet"],
        importance,
        "internet-title",
        facts,
        note="" if facts else "The page has no internet details for this building.",
    )


def _commute_point(importance, commutes: Sequence[DestinationCommute]) -> TalkingPoint:
    facts = []
    for dc in commutes:
        mode = dc.destination.mode
        result = dc.by_mode[mode]
        facts.append(
            Fact(
                dc.destination.label,
                result.minutes,
                "min",
                dc.destination.label,
                f"{commute_text(result)} by {MODE_WORDS[mode]}",
            )
        )
    return TalkingPoint(
        "commute",
        TOPICS["commute"],
        importance,
        "commute",
        facts,
        note="" if facts else "No saved places yet: ask where they go every day.",
    )


def _amenity_point(topic: str, importance, prop: Property, unit: Unit | None) -> TalkingPoint:
    wanted = _AMENITIES_OF[topic]
    listed = [a for a in prop.amenities or [] if a.strip().lower() in wanted]
    facts = [Fact("Amenity", a, "", text=a) for a in listed]
    if topic == "accessibility" and unit is not None:
        facts.append(Fact("Floor", unit.floor, "", text=f"Floor {unit.floor}"))
    anchor = "building-title"
    if topic == "parking" and not listed:
        return TalkingPoint(
            topic, TOPICS[topic], importance, anchor, note="The building lists no parking."
        )
    return TalkingPoint(
        topic,
        TOPICS[topic],
        importance,
        anchor,
        facts,
        note="" if facts else f"The building's amenities do not mention {TOPICS[topic].lower()}.",
    )


def _quiet_point(importance, unit: Unit | None) -> TalkingPoint:
    if unit is None:
        return TalkingPoint("quiet", TOPICS["quiet"], importance, "facts-title", note="")
    text = f"{unit.orientation} – {unit.view}" if unit.view else unit.orientation
    return TalkingPoint(
        "quiet",
        TOPICS["quiet"],
        importance,
        "facts-title",
        [Fact("Windows face", unit.orientation, "", unit.view or None, text)],
    )


def talking_point(
    topic: str,
    importance: str | None,
    *,
    prop: Property,
    unit: Unit | None,
    neighbourhood: dict | None,
    commutes: Sequence[DestinationCommute],
) -> TalkingPoint:
    """The public page's facts that answer ``topic`` for the toured home."""
    if topic == "commute":
        return _commute_point(importance, commutes)
    if topic == "internet":
        return _internet_point(importance, prop)
    if topic in _AMENITIES_OF:
        return _amenity_point(topic, importance, prop, unit)
    if topic == "quiet":
        return _quiet_point(importance, unit)
    return _neighbourhood_point(topic, importance, neighbourhood)
