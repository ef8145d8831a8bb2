"""How well one listing meets one topic, from its facts alone.

Each check returns a satisfaction from 0 to 1, or None when the facts do not say
(then the fit leaves the topic out instead of guessing), a sentence for the
prospect, and whether a must-have topic failed outright (a deal-breaker).
"""

from dataclasses import dataclass

from portal.prospects.fit.facts import ListingFacts
from portal.prospects.priorities import Priorities
from portal.prospects.topics import TOPIC_FACTS_KEYS

DEFAULT_COMMUTE_LIMIT = 30  # minutes one way: the most most renters accept (REFERENCE.md)
NEAR_MINUTES = 5  # full marks within a five-minute walk
FAR_MINUTES = 20  # nothing beyond a twenty-minute walk
MUST_HAVE_WALK = 15  # a must-have place further than this is a deal-breaker
FAST_INTERNET_MBPS = 100
WALKABLE = 50

_PLACE_WORDS = {
    "groceries": "a grocery store",
    "restaurants": "a restaurant or café",
    "nightlife": "nightlife",
    "parks": "a park",
    "transit": "a public transport stop",
}


@dataclass(frozen=True)
class Check:
    topic: str
    satisfaction: float | None
    text: str = ""
    deal_breaker: bool = False


def _walk_satisfaction(minutes: float) -> float:
    if minutes <= NEAR_MINUTES:
        return 1.0
    return max(0.0, 1 - (minutes - NEAR_MINUTES) / (FAR_MINUTES - NEAR_MINUTES))


def _commute(facts: ListingFacts, p: Priorities, must_have: bool) -> Check:
    known = {k: v for k, v in (facts.commute_minutes or {}).items() if v is not None}
    if not known:
        return Check("commute", None)
    limit = p.commute_max_minutes or DEFAULT_COMMUTE_LIMIT
    parts = [1.0 if m <= limit else max(0.0, 1 - (m - limit) / limit) for m in known.values()]
    over = {k: m for k, m in known.items() if m > limit}
    if over:
        name, minutes = max(over.items(), key=lambda kv: kv[1])
        text = f"Commute to {name} is {minutes} min, over your {limit}-minute limit"
    else:
        text = ", ".join(f"{m} min to {k}" for k, m in sorted(known.items(), key=lambda kv: kv[1]))
    return Check("commute", sum(parts) / len(parts), text, must_have and bool(over))


def _nearby(topic: str, facts: ListingFacts, must_have: bool) -> Check:
    nearest = facts.walk_minutes_to_nearest
    if nearest is None:
        return Check(topic, None)
    keys = [k for k in TOPIC_FACTS_KEYS[topic] if k in nearest]
    if not keys:
        return Check(topic, None)
    # A key present with None means the geo facts found no such place within reach.
    minutes = [nearest[k] for k in keys if nearest[k] is not None]
    if topic == "transit" and facts.transit_access is not None:
        satisfaction = facts.transit_access / 100
    else:
        satisfaction = _walk_satisfaction(min(minutes)) if minutes else 0.0
    place = _PLACE_WORDS[topic]
    if minutes:
        best = min(minutes)
        text = f"{place[0].upper()}{place[1:]} {best:.0f} min walk away"
        failed = best > MUST_HAVE_WALK
    else:
        text, failed = f"No {place.removeprefix('a ')} within walking distance", True
    return Check(topic, satisfaction, text, must_have and failed)


def _quiet(facts: ListingFacts) -> Check:
    counts = facts.places_within_10_min
    keys = [k for k in TOPIC_FACTS_KEYS["nightlife"] if counts and k in counts]
    if not keys:
        return Check("quiet", None)
    bars = sum(counts[k] for k in keys)
    text = (
        "Quiet surroundings: no bars or clubs within 10 minutes"
        if bars == 0
        else f"{bars} bar{'s' if bars != 1 else ''} or club{'s' if bars != 1 else ''} "
        "within 10 minutes"
    )
    return Check("quiet", max(0.0, 1 - bars / 20), text)


def _internet(facts: ListingFacts, must_have: bool) -> Check:
    mbps = facts.internet_down_mbps
    if mbps is None:
        return Check("internet", None)
    steps = ((1000, 1.0), (300, 0.85), (FAST_INTERNET_MBPS, 0.6), (30, 0.3))
    satisfaction = next((s for limit, s in steps if mbps >= limit), 0.1)
    label = f"{mbps / 1000:g} Gbit/s" if mbps >= 1000 else f"{mbps} Mbit/s"
    slow = mbps < FAST_INTERNET_MBPS
    text = f"Internet tops out at {label}" if slow else f"Internet up to {label}"
    return Check("internet", satisfaction, text, must_have and slow)


def _walkability(facts: ListingFacts, must_have: bool) -> Check:
    if facts.walkability is None:
        return Check("walkability", None)
    low = facts.walkability < WALKABLE
    return Check(
        "walkability",
        facts.walkability / 100,
        f"Walkability {facts.walkability} out of 100",
        must_have and low,
    )


def _yes_no(topic: str, yes: bool, yes_text: str, no_text: str, must_have: bool) -> Check:
    return Check(topic, 1.0 if yes else 0.0, yes_text if yes else no_text, must_have and not yes)


def check_topic(topic: str, facts: ListingFacts, p: Priorities, *, must_have: bool) -> Check:
    """The check for one priorities topic."""
    if topic == "commute":
        return _commute(facts, p, must_have)
    if topic in TOPIC_FACTS_KEYS:
        return _nearby(topic, facts, must_have)
    if topic == "quiet":
        return _quiet(facts)
    if topic == "internet":
        return _internet(facts, must_have)
    if topic == "walkability":
        return _walkability(facts, must_have)
    if topic == "pets":
        return _yes_no("pets", facts.pets_allowed, "Pets welcome", "No pets allowed", must_have)
    if topic == "parking":
        return _yes_no("parking", facts.parking, "Parking on site", "No parking on site", must_have)
    if topic == "accessibility":
        return _yes_no(
            "accessibility",
            facts.step_free,
            "Step-free access to the home",
            "No step-free access",
            must_have,
        )
    if topic == "laundry":
        shared = facts.laundry == "shared"
        check = _yes_no(
            "laundry",
            facts.laundry == "in_unit",
            "In-unit laundry",
            "No in-unit laundry" + (" (shared laundry room)" if shared else ""),
            must_have,
        )
        return Check("laundry", 0.5, check.text, check.deal_breaker) if shared else check
    raise ValueError(f"unknown topic {topic!r}")
