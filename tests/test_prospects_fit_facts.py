"""The fit's listing facts (portal.prospects.fit.facts): the geo services' numbers."""

import sqlalchemy as sa

from portal.extensions import db
from portal.geo.commute import Destination, commute_minutes
from portal.geo.neighbourhood_store import refresh_all_neighbourhoods
from portal.geo.settings import GeoSettings
from portal.models import NeighbourhoodSummary, Unit
from portal.prospects.fit.facts import build_listing_facts, geo_facts_of

WORK = Destination("Work", "Mannerheimintie 5, 00100 Helsinki", 60.1694, 24.9400, "bike", "08:30")


def test_fit_ranking_sees_commute_and_neighbourhood_facts(demo, geo_region):
    """The prospects' fit gets the same commute minutes and scores as the listing pages."""
    settings = GeoSettings()
    refresh_all_neighbourhoods(settings)
    unit = db.session.scalar(sa.select(Unit).order_by(Unit.id).limit(1))
    facts = geo_facts_of([WORK], settings, build_listing_facts)(unit)
    home = (unit.property.lat, unit.property.lon)
    assert facts.commute_minutes == {
        "Work": commute_minutes(home, WORK.point, "bike", settings).minutes
    }
    summary = db.session.scalar(
        sa.select(NeighbourhoodSummary).where(NeighbourhoodSummary.property_id == unit.property_id)
    )
    assert facts.walkability == summary.walkability
    assert facts.walk_minutes_to_nearest["grocery"] >= 1
    assert set(facts.places_within_10_min) >= {"restaurants", "coffee", "bars", "parks"}
