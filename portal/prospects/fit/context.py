"""The inputs of one fit ranking, and a ranked page of listings.

This is the one place that decides which facts the ranking sees: the geo services
(commute minutes per destination, neighbourhood facts) plug into ``facts_of``
(``portal.prospects.fit.facts.geo_facts_of``).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from portal.listings.services import ListingPage
from portal.models import Unit
from portal.prospects.fit.facts import ListingFacts, build_listing_facts
from portal.prospects.fit.score import Fit, rank_by_fit, score_fit
from portal.prospects.interests import InferredInterest
from portal.prospects.priorities import Priorities


@dataclass(frozen=True)
class FitContext:
    priorities: Priorities
    interests: Sequence[InferredInterest]
    facts_of: Callable[[Unit], ListingFacts] = build_listing_facts

    @property
    def has_basis(self) -> bool:
        """Is there anything stated or inferred to rank by?"""
        return not self.priorities.is_empty or any(
            i.topic != "virtual_tours" for i in self.interests
        )

    def fit(self, unit: Unit) -> Fit:
        return self.fit_of_facts(self.facts_of(unit))

    def fit_of_facts(self, facts: ListingFacts) -> Fit:
        """The fit of a listing whose facts are already known (the listing page keeps them)."""
        return score_fit(facts, self.priorities, self.interests)


def rank_listing_page(
    units: Sequence[Unit], context: FitContext, page: int, per_page: int
) -> tuple[ListingPage, dict[int, Fit]]:
    """One page of ``units`` ranked best fit first, with every shown unit's fit."""
    ranked = rank_by_fit(units, context.facts_of, context.priorities, context.interests)
    start = (page - 1) * per_page
    shown = ranked[start : start + per_page]
    listing_page = ListingPage(
        items=[r.item for r in shown], total=len(ranked), page=page, per_page=per_page
    )
    return listing_page, {r.item.id: r.fit for r in shown}
