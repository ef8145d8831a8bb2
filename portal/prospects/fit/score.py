"""How well a listing fits a prospect: a 0–100 score, its top reasons and deal-breakers.

Stated priorities weigh by importance (nice 1, important 2, must-have 3); inferred
interests fill only unanswered topics, weighted by their confidence (below 1, so
always less than anything stated). Budget and bedrooms, when given, weigh as
must-haves and exceeding them is always a deal-breaker. A topic whose facts are
unknown for a listing is left out of its score and listed as unknown: we never
invent a number. Listings with a deal-breaker rank after all listings without one.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from portal.prospects.fit.checks import Check, check_topic
from portal.prospects.fit.facts import ListingFacts
from portal.prospects.interests import InferredInterest
from portal.prospects.priorities import Priorities
from portal.prospects.topics import TOPICS
from portal.templating import money

WEIGHTS = {"not_important": 0.0, "nice": 1.0, "important": 2.0, "must_have": 3.0}
HARD_WEIGHT = 3.0
MOVE_IN_WEIGHT = 2.0
GOOD_ENOUGH = 0.6  # a topic this well met is worth naming as a reason
TOP_REASONS = 3


@dataclass(frozen=True)
class Fit:
    score: int | None  # None: nothing stated or inferred that the facts can answer
    reasons: list[str] = field(default_factory=list)
    concerns: list[str] = field(default_factory=list)
    deal_breakers: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def sort_key(self) -> tuple:
        return (bool(self.deal_breakers), -(self.score if self.score is not None else -1))


@dataclass(frozen=True)
class _Weighted:
    check: Check
    weight: float
    inferred: bool = False


def _hard_checks(facts: ListingFacts, p: Priorities) -> list[_Weighted]:
    checks = []
    if p.budget_max is not None:
        within = facts.rent_eur <= p.budget_max
        text = (
            f"{money(facts.rent_eur)} a month, within your {money(p.budget_max)} budget"
            if within
            else f"Over budget: {money(facts.rent_eur)} (your limit {money(p.budget_max)})"
        )
        checks.append(
            _Weighted(Check("budget", 1.0 if within else 0.0, text, not within), HARD_WEIGHT)
        )
    if p.bedrooms is not None:
        enough = facts.bedrooms >= p.bedrooms
        text = (
            f"{facts.bedrooms} bedroom{'s' if facts.bedrooms != 1 else ''}, as you asked"
            if enough
            else f"Too few bedrooms: {facts.bedrooms} (you asked for {p.bedrooms})"
        )
        checks.append(
            _Weighted(Check("bedrooms", 1.0 if enough else 0.0, text, not enough), HARD_WEIGHT)
        )
    if p.move_in is not None:
        late_days = (facts.available_from - p.move_in).days
        if late_days <= 0:
            check = Check("move_in", 1.0, "Free by your move-in date")
        else:
            check = Check(
                "move_in",
                max(0.0, 1 - late_days / 60),
                f"Free {late_days} day{'s' if late_days != 1 else ''} after your move-in date",
            )
        checks.append(_Weighted(check, MOVE_IN_WEIGHT))
    return checks


def score_fit(
    facts: ListingFacts,
    priorities: Priorities,
    interests: Sequence[InferredInterest] = (),
) -> Fit:
    """The fit of one listing for one prospect's priorities and inferred interests."""
    weighted = _hard_checks(facts, priorities)
    unknown: list[str] = []
    for topic in TOPICS:
        level = priorities.level(topic)
        if level is None:
            continue
        weight = WEIGHTS[level]
        if weight == 0:
            continue
        check = check_topic(topic, facts, priorities, must_have=level == "must_have")
        if check.satisfaction is None:
            unknown.append(TOPICS[topic])
            continue
        weighted.append(_Weighted(check, weight))
    for interest in interests:
        if interest.topic not in TOPICS or priorities.level(interest.topic) is not None:
            continue
        check = check_topic(interest.topic, facts, priorities, must_have=False)
        if check.satisfaction is not None:
            weighted.append(_Weighted(check, interest.confidence, inferred=True))
    total = sum(w.weight for w in weighted)
    if total == 0:
        return Fit(score=None, unknown=unknown)
    score = round(100 * sum(w.weight * w.check.satisfaction for w in weighted) / total)
    by_value = sorted(weighted, key=lambda w: -w.weight * w.check.satisfaction)
    reasons = [
        w.check.text + (" (from your browsing)" if w.inferred else "")
        for w in by_value
        if w.check.satisfaction >= GOOD_ENOUGH
    ][:TOP_REASONS]
    deal_breakers = [w.check.text for w in weighted if w.check.deal_breaker]
    concerns = [
        w.check.text
        for w in weighted
        if w.check.satisfaction < GOOD_ENOUGH and not w.check.deal_breaker
    ]
    return Fit(score, reasons, concerns, deal_breakers, unknown)


@dataclass(frozen=True)
class RankedListing:
    item: object
    facts: ListingFacts
    fit: Fit


def rank_by_fit(
    items: Iterable,
    facts_of: Callable[[object], ListingFacts],
    priorities: Priorities,
    interests: Sequence[InferredInterest] = (),
) -> list[RankedListing]:
    """Best fit first; deal-breakers last; equal fits by rent, then listing id."""
    ranked = []
    for item in items:
        facts = facts_of(item)
        ranked.append(RankedListing(item, facts, score_fit(facts, priorities, interests)))
    ranked.sort(key=lambda r: (*r.fit.sort_key, r.facts.rent_eur, r.facts.unit_id))
    return ranked
