"""Listing cards and search pages, made once per catalogue version and kept per process.

A card's head (photo, title, address, rent and facts) and which units a search page
shows depend on catalogue rows only, so they are kept in the ``CatalogueCache``
under the version the request read. What is the visitor's own (fit, their places'
commutes) is added to the card by the template on every request, never kept.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import sqlalchemy as sa
from flask import get_template_attribute
from markupsafe import Markup

from portal.extensions import db
from portal.geo.settings import GeoSettings
from portal.listings.catalogue_version import catalogue_cache
from portal.listings.services import CARD_LOADING, ListingFilters, ListingPage, search_listings
from portal.models import Unit


@dataclass(frozen=True)
class ListingCard:
    """What a card shows of a listed unit, with its head already rendered."""

    id: int
    status: str
    home: tuple[float, float]  # the building's (lat, lon), for commutes
    head: Markup
    first_head: Markup  # the same, for the page's first card (its photo loads first)
    # The whole card for a visitor with no fit or commute to show (most of them).
    plain: Markup = Markup("")
    first_plain: Markup = Markup("")


def card_of(unit: Unit) -> ListingCard:
    head = get_template_attribute("_macros.html", "listing_card_head")
    whole = get_template_attribute("_macros.html", "listing_card")
    card = ListingCard(
        id=unit.id,
        status=unit.status,
        home=(unit.property.lat, unit.property.lon),
        # A macro's output is already Markup: the template escaped what it printed.
        head=head(unit, first=False),
        first_head=head(unit, first=True),
    )
    return replace(card, plain=whole(card), first_plain=whole(card, first=True))


def cards_for(unit_ids: Iterable[int], version: int) -> list[ListingCard]:
    """The cards of these units in this order; the ones not kept yet load in one query."""
    ids = list(unit_ids)
    cache = catalogue_cache()
    kept = {i: cache.peek(version, ("card", i)) for i in ids}
    missing = [i for i, card in kept.items() if card is None]
    if missing:
        query = sa.select(Unit).where(Unit.id.in_(missing)).options(*CARD_LOADING)
        for unit in db.session.scalars(query).unique():
            kept[unit.id] = card_of(unit)
            cache.put(version, ("card", unit.id), kept[unit.id])
    return [kept[i] for i in ids]


def card_search(version: int) -> Callable[..., ListingPage]:
    """``search_listings`` answering with cards, its pages kept for this version.

    A page is the same for everyone who asks with the same filters (an address is
    resolved to a point before this), so it is kept whole: the units, the total and
    the commute minutes to that point.
    """
    cache = catalogue_cache()

    def search(
        filters: ListingFilters, page: int, per_page: int, geo: GeoSettings | None = None
    ) -> ListingPage:
        def make() -> ListingPage:
            found = search_listings(filters, page, per_page, geo, load=lambda ids: ids)
            return replace(found, items=cards_for(found.items, version))

        # No geo settings in the key: they are the app's, and so is the cache.
        return cache.get(version, ("page", filters, page, per_page), make)

    return search


def page_of_cards(found: ListingPage, version: int) -> ListingPage:
    """The same page with cards in place of its units (the fit sort ranks units)."""
    return replace(found, items=cards_for([unit.id for unit in found.items], version))
