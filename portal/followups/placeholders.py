"""The placeholders a snippet may use, each bound to a fact computed in exactly one place.

Marketers write ``{nearest_grocery}`` and ``{nearest_grocery_minutes}``; the values come
from the same sources the listing pages use: the neighbourhood facts
(``portal.listings.neighbourhoods.neighbourhood_facts``), the listing facts and fit checks
(``portal.prospects.fit``), commute minutes (``portal.geo.commute`` through
``geo_facts_of``) and what the agent recorded on the tour (``TourCapture``). Nothing here
retypes or recomputes a fact: it only names them.

A part of a snippet in square brackets is optional: it is left out when one of its facts
is not known (``[You liked {liked}.]`` before the agent recorded anything).

``validate_snippet`` is what the studio asks when a marketer saves a snippet: an unknown
placeholder is refused then, never discovered at send time.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa

from portal.extensions import db
from portal.geo.commute import Destination
from portal.geo.modes import MODE_WORDS
from portal.geo.settings import GeoSettings
from portal.listings.neighbourhoods import neighbourhood_facts
from portal.models import CommuteDestination, Prospect, Tour, TourCapture, Unit
from portal.models.capture import OBJECTION_LABELS
from portal.prospects.fit.checks import check_topic
from portal.prospects.fit.facts import ListingFacts, geo_facts_of
from portal.prospects.priorities import Priorities
from portal.prospects.topics import TOPICS
from portal.templating import long_date, money

# Neighbourhood categories a snippet can name the nearest place of (the fit's categories).
PLACE_PLACEHOLDER_CATEGORIES = (
    "grocery",
    "cafe",
    "restaurant",
    "bar",
    "entertainment",
    "park",
    "transit",
)

PLACEHOLDERS: dict[str, str] = {
    "first_name": "The prospect's first name (or 'there')",
    "property_name": "The community's name",
    "property_address": "The community's street address",
    "agent_name": "The agent who led the tour",
    "tour_day": "The day of the tour, e.g. 24 November 2026",
    "unit_title": "The home: e.g. '2-bedroom, 61 m², floor 3'",
    "unit_number": "The home's number",
    "unit_rent": "The home's monthly rent, e.g. €1 250",
    "unit_available_from": "The day the home is available from",
    "units_shown": "The homes shown on the tour, e.g. 'homes A 3, B 12'",
    "liked": "What the prospect liked, as the agent recorded it",
    "objections": "Their concerns, as the agent recorded them",
    "fit_line": "The fit check's sentence for this message's topic",
    "topic_label": "This message's topic, e.g. 'Fast internet'",
    "internet_provider": "The best internet provider at the community",
    "internet_speed": "Its speeds, e.g. '1 Gbit/s down / 500 Mbit/s up'",
    "walkability": "The walkability score out of 100",
    "transit_lines": "Transit lines within 10 minutes' walk, nearest first",
    "commute_summary": "Minutes to each of the prospect's own places",
    "commute_destination": "The prospect's first saved place",
    "commute_minutes": "Minutes to that place by their mode",
    "commute_mode": "How they travel there (bike, walk, ...)",
    "listing_url": "The home's page",
    "book_url": "Where to book a tour of the home",
}
for _category in PLACE_PLACEHOLDER_CATEGORIES:
    PLACEHOLDERS[f"nearest_{_category}"] = f"The nearest {_category.replace('_', ' ')} (name)"
    PLACEHOLDERS[f"nearest_{_category}_minutes"] = f"Walking minutes to the nearest {_category}"
    PLACEHOLDERS[f"{_category}_within_10_min"] = f"How many {_category} places within 10 min"

_TOKEN = re.compile(r"\{([^{}]*)\}")


def placeholders_in(text: str) -> list[str]:
    """The placeholder names ``text`` uses, in order of first use."""
    return list(dict.fromkeys(_TOKEN.findall(text or "")))


def validate_snippet(text: str) -> list[str]:
    """Errors of a snippet's text; empty when every placeholder is known.

    An unknown placeholder is named with the full list of valid ones, so the marketer
    can correct it on the spot.
    """
    errors = []
    if (text or "").count("[") != (text or "").count("]"):
        errors.append("A square bracket is not closed: write optional parts as [ ... ].")
    stripped = _TOKEN.sub("", text or "")
    if "{" in stripped or "}" in stripped:
        errors.append("A brace is not closed: write placeholders as {name}.")
    unknown = [name for name in placeholders_in(text) if name not in PLACEHOLDERS]
    if unknown:
        listed = ", ".join(f"{{{name}}}" for name in unknown)
        valid = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        errors.append(f"Unknown placeholder {listed}. Valid placeholders: {valid}.")
    return errors


@dataclass(frozen=True)
class MessageSubject:
    """Whom a message is for and what it is about: the inputs of the facts."""

    prospect: Prospect
    unit: Unit
    priorities: Priorities
    tour: Tour | None = None
    capture: TourCapture | None = None
    topic: str | None = None
    links: Mapping[str, str] = field(default_factory=dict)  # listing_url, book_url


def _destinations(prospect: Prospect) -> list[Destination]:
    rows = db.session.scalars(
        sa.select(CommuteDestination)
        .where(CommuteDestination.prospect_id == prospect.id)
        .order_by(CommuteDestination.created_at, CommuteDestination.id)
    )
    return [Destination(r.label, r.address, r.lat, r.lon, r.mode, id=r.id) for r in rows]


def collect_facts(subject: MessageSubject, settings: GeoSettings) -> dict[str, str]:
    """Every placeholder value known for ``subject``; unknown facts are absent (not guessed).

    Reads the database and the geo services (the one source of each fact); rendering
    (``portal.followups.render``) is then a pure function of this mapping.
    """
    prospect, unit, tour, capture = subject.prospect, subject.unit, subject.tour, subject.capture
    prop = unit.property
    facts: dict[str, str] = {
        "first_name": (prospect.name or "").split(" ")[0] or "there",
        "property_name": prop.name,
        "property_address": prop.address,
        "unit_title": unit.title,
        "unit_number": unit.number,
        "unit_rent": money(unit.rent_eur),
        "unit_available_from": long_date(unit.available_from),
        **subject.links,
    }
    if tour is not None:
        facts["tour_day"] = long_date(tour.starts_at.date())
        if tour.agent is not None:
            facts["agent_name"] = tour.agent.name
    if tour is not None and tour.unit is not None:
        # What they saw, until the agent records more.
        facts["units_shown"] = f"home {tour.unit.number}"
    if capture is not None:
        shown = db.session.scalars(
            sa.select(Unit.number).where(Unit.id.in_(capture.units_shown or [-1]))
        ).all()
        if shown:
            facts["units_shown"] = ("homes " if len(shown) > 1 else "home ") + ", ".join(
                sorted(shown)
            )
        if capture.liked.strip():
            facts["liked"] = capture.liked.strip()
        if capture.objections:
            facts["objections"] = ", ".join(
                OBJECTION_LABELS[o].lower() for o in capture.objections if o in OBJECTION_LABELS
            )
    best = prop.best_internet
    if best is not None:
        facts["internet_provider"] = best.provider
        facts["internet_speed"] = best.speed_label
    hood = neighbourhood_facts(prop, settings)
    if hood is not None:
        facts["walkability"] = str(hood["walkability"])
        routes = hood.get("transit", {}).get("routes", [])
        if routes:
            facts["transit_lines"] = ", ".join(
                f"{r['mode']} {r['ref']} ({r['minutes']} min)" for r in routes[:5]
            )
        for category in PLACE_PLACEHOLDER_CATEGORIES:
            found = hood.get("categories", {}).get(category)
            if not found:
                continue
            facts[f"{category}_within_10_min"] = str(found["within"]["10"])
            if found["nearest"]:
                nearest = found["nearest"][0]
                facts[f"nearest_{category}"] = nearest["name"]
                facts[f"nearest_{category}_minutes"] = str(nearest["minutes"])
    destinations = _destinations(prospect)
    listing: ListingFacts = geo_facts_of(destinations, settings)(unit)
    if destinations and listing.commute_minutes:
        parts = []
        for d in destinations:
            minutes = listing.commute_minutes.get(d.label)
            if minutes is not None:
                parts.append(f"{d.label}: {minutes} min by {MODE_WORDS[d.mode]}")
        if parts:
            facts["commute_summary"] = "; ".join(parts)
        first = destinations[0]
        if listing.commute_minutes.get(first.label) is not None:
            facts["commute_destination"] = first.label
            facts["commute_minutes"] = str(listing.commute_minutes[first.label])
            facts["commute_mode"] = MODE_WORDS[first.mode]
    if subject.topic in TOPICS:
        facts["topic_label"] = TOPICS[subject.topic]
        must = subject.priorities.level(subject.topic) == "must_have"
        check = check_topic(subject.topic, listing, subject.priorities, must_have=must)
        if check.text:
            facts["fit_line"] = check.text
    return facts
