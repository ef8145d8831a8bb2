"""What listing pages and the listings API need from commute: one place, so they agree."""

from portal.geo.commute import DestinationCommute, commutes_for_homes
from portal.geo.geocoding import GeocodeOutcome, resolve_address
from portal.listings.forms import ListingFilterForm
from portal.listings.services import ListingPage, search_listings
from portal.models import Unit
from portal.prospects.current import current_destinations
from portal.settings import geo_settings


def search_with_commute(
    form: ListingFilterForm, per_page: int
) -> tuple[ListingPage | None, GeocodeOutcome | None]:
    """Run a validated filter form; (None, outcome) when its commute address fails to resolve."""
    point = None
    outcome = None
    if form.commute_to_text:
        outcome = resolve_address(form.commute_to_text, geo_settings())
        if not outcome.found:
            return None, outcome
        point = outcome.point
    results = search_listings(form.to_filters(point), form.page_number, per_page, geo_settings())
    return results, outcome


def visitor_commutes(units: list[Unit]) -> dict[int, list[DestinationCommute]]:
    """Minutes from each unit's building to each of the visitor's places, by every mode."""
    destinations = current_destinations()
    if not destinations or not units:
        return {}
    homes = [(u.property.lat, u.property.lon) for u in units]
    table = commutes_for_homes(homes, destinations, geo_settings())
    return {u.id: table[(u.property.lat, u.property.lon)] for u in units}
