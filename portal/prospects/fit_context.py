"""The fit inputs of whoever is browsing, and a ranked page of listings.

This is the one place that decides which facts the ranking sees: the geo
services (commute minutes per destination, neighbourhood facts) plug into
``facts_of`` here.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from portal.listings.services import ListingPage
from portal.models import Unit
from portal.prospects.current import current_owner
from portal.prospects.fit import Fit, rank_by_fit, score_fit
from portal.prospects.interests import InferredInterest, infer_interests
from portal.prospects.listing_facts import ListingFacts, build_listing_facts
from portal.prospects.priorities import Priorities, current_priorities
from portal.prospects.signals import signals_of


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
        return score_fit(self.facts_of(unit), self.priorities, self.interests)


def current_fit_context() -> FitContext:
    """Priorities and inferred interests of the signed-in prospect or this visitor."""
    from portal.commute.app_settings import geo_settings
    from portal.commute.current import current_destinations
    from portal.commute.listing_facts import geo_facts_of

    prospect, visitor_id = current_owner()
    return FitContext(
        priorities=current_priorities(prospect, visitor_id),
        interests=infer_interests(signals_of(prospect, visitor_id)),
        facts_of=geo_facts_of(current_destinations(), geo_settings(), build_listing_facts),
    )


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
