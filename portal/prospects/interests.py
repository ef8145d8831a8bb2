"""Inferred interests: what browsing suggests matters, with a confidence and the evidence.

Stated priorities always win; these only fill topics the prospect left unanswered.
Confidence grows with the number of distinct listings showing the same behaviour,
n / (n + 2): one listing gives 0.33, four give 0.67, ten give 0.83. A single long
look is weak evidence; the same interest across listings is strong.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from portal.models import BrowsingSignal
from portal.prospects.topics import topic_of_category

_CATEGORY_WORDS = {
    "groceries": "the groceries list",
    "restaurants": "the restaurants list",
    "nightlife": "the nightlife list",
    "parks": "the parks list",
    "transit": "the public transport list",
    "parking": "the parking and mobility list",
}
LONG_LOOK_SECONDS = 90


@dataclass(frozen=True)
class InferredInterest:
    topic: str
    confidence: float
    evidence: str
    listings: int


def _confidence(n: int) -> float:
    return round(n / (n + 2), 2)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def infer_interests(signals: Iterable[BrowsingSignal]) -> list[InferredInterest]:
    """Interests suggested by ``signals``, strongest first."""
    by_topic: dict[str, set] = defaultdict(set)
    commute_listings: set = set()
    destinations: set[str] = set()
    virtual_tours: set = set()
    for s in signals:
        # A signal without a listing still counts once (e.g. a map page).
        where = s.unit_id if s.unit_id is not None else f"signal-{s.id}"
        if s.kind == "category_expanded" and s.topic:
            topic = topic_of_category(s.topic)
            if topic:
                by_topic[topic].add(where)
        elif s.kind == "commute_checked":
            commute_listings.add(where)
            if s.topic:
                destinations.add(s.topic)
        elif s.kind == "virtual_tour_opened":
            virtual_tours.add(where)
    interests = [
        InferredInterest(
            topic=topic,
            confidence=_confidence(len(listings)),
            evidence=f"opened {_CATEGORY_WORDS[topic]} on {_plural(len(listings), 'listing')}",
            listings=len(listings),
        )
        for topic, listings in by_topic.items()
    ]
    if commute_listings:
        places = ", ".join(sorted(destinations)[:3])
        interests.append(
            InferredInterest(
                topic="commute",
                confidence=_confidence(len(commute_listings)),
                evidence=f"checked the commute on {_plural(len(commute_listings), 'listing')}"
                + (f" (to {places})" if places else ""),
                listings=len(commute_listings),
            )
        )
    if virtual_tours:
        # No fit topic of its own: shown to agents, who can offer a video tour.
        interests.append(
            InferredInterest(
                topic="virtual_tours",
                confidence=_confidence(len(virtual_tours)),
                evidence=f"opened the virtual tour on {_plural(len(virtual_tours), 'listing')}",
                listings=len(virtual_tours),
            )
        )
    return sorted(interests, key=lambda i: (-i.confidence, i.topic))
