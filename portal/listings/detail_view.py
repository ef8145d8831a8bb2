"""A listing page's catalogue parts, rendered once per catalogue version and kept per process.

The page was eleven queries and most of its render on every request, yet all of it
but the visitor's panel (fit, saved) and their commute depends only on catalogue
rows: the unit, its building, the published content, the neighbourhood summary.
Those parts are rendered into a :class:`ListingView` and kept under the catalogue
version; the page then adds what is the visitor's own. A neighbourhood computed for
one answer (the stored summary is stale and its job is scheduled) is not kept, so
the next request looks again, as before.
"""

from dataclasses import dataclass

from flask import current_app, render_template
from markupsafe import Markup

from portal.listings.catalogue_version import catalogue_cache
from portal.listings.neighbourhoods import page_neighbourhood
from portal.listings.services import get_listing
from portal.models import Unit
from portal.prospects.fit.facts import ListingFacts, build_listing_facts, summary_facts
from portal.settings import geo_settings
from portal.studio.listing_content import published_content
from portal.studio.structured_data import listing_json_ld


@dataclass(frozen=True)
class ListingView:
    """A listed unit's page without the visitor: rendered parts and the facts fit reads."""

    id: int  # the unit's, so the visitor's partials read ``unit.id`` from it too
    home: tuple[float, float]  # the building's (lat, lon), for commutes
    facts: ListingFacts  # everything but the commute minutes, which are the visitor's
    title: Markup
    description: Markup
    head: Markup
    top: Markup  # breadcrumb and the listing down to the visitor's panel
    bottom: Markup  # the area, internet and virtual tour, after the visitor's commute


def listing_view(unit_id: int, version: int) -> ListingView | None:
    """The unit's view at this catalogue version; None when it is not listed."""
    cache = catalogue_cache()
    kept = cache.peek(version, ("detail", unit_id))
    if kept is not None:
        return kept
    unit = get_listing(unit_id)
    if unit is None:
        return None
    view, keep = _render(unit)
    if keep:
        cache.put(version, ("detail", unit_id), view)
    return view


def _render(unit: Unit) -> tuple[ListingView, bool]:
    prop = unit.property
    settings = geo_settings()
    content = published_content(unit)
    hood = page_neighbourhood(prop, settings)
    parts = {
        "unit": unit,
        "property": prop,
        "content": content,
        "neighbourhood": hood.facts,
        "tile_url": current_app.config.get("MAP_TILE_URL"),
    }
    money = current_app.jinja_env.filters["money"]
    view = ListingView(
        id=unit.id,
        home=(prop.lat, prop.lon),
        facts=build_listing_facts(unit, **summary_facts(hood.stored)),
        title=Markup("{} at {}").format(unit.title, prop.name),
        description=Markup("{} at {} for {} a month.").format(
            unit.title, prop.address, money(unit.rent_eur)
        ),
        head=_markup(
            "listings/_detail_head.html", content=content, json_ld=listing_json_ld(unit, content)
        ),  # fmt: skip
        top=_markup("listings/_detail_top.html", **parts),
        bottom=_markup("listings/_listing_bottom.html", **parts),
    )
    return view, hood.current


def _markup(template: str, **context) -> Markup:
    return Markup(render_template(template, **context))  # noqa: S704 - autoescaped output
