"""Geo facts for the prospects' fit ranking: commute minutes and neighbourhood summaries.

``portal.prospects.fit_context`` takes a ``facts_of(unit)``; this builds one that adds
what the geo services know, so fit, comparison and briefs use the same numbers as
the listing pages.
"""

from collections.abc import Callable

import sqlalchemy as sa

from portal.extensions import db
from portal.geo.commute import Destination, commute_minutes
from portal.geo.settings import GeoSettings
from portal.models import NeighbourhoodSummary, Unit

# Our place categories under the names the fit checks use.
FIT_CATEGORY = {
    "grocery": "grocery",
    "restaurant": "restaurants",
    "cafe": "coffee",
    "bar": "bars",
    "entertainment": "entertainment",
    "park": "parks",
    "transit": "transit",
}


def geo_facts_of(
    destinations: list[Destination], settings: GeoSettings, base: Callable
) -> Callable[[Unit], object]:
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

    def facts_of(unit: Unit):
        prop = unit.property
        geo: dict = {}
        if destinations:
            home = (prop.lat, prop.lon)
            geo["commute_minutes"] = {
                d.label: commute_minutes(home, d.point, d.mode, settings).minutes
                for d in destinations
            }
        summary = summary_of(prop.id)
        if summary is not None:
            categories = summary.facts.get("categories", {})
            nearest, within = {}, {}
            for ours, theirs in FIT_CATEGORY.items():
                found = categories.get(ours)
                if found is None:
                    continue
                nearest[theirs] = found["nearest"][0]["minutes"] if found["nearest"] else None
                within[theirs] = found["within"]["10"]
            geo |= {
                "walkability": summary.walkability,
                "transit_access": summary.transit_access,
                "walk_minutes_to_nearest": nearest,
                "places_within_10_min": within,
            }
        return base(unit, **geo)

    return facts_of
