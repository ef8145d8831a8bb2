"""What the listing page needs from the prospect area: fit, saved state, staff or not."""

from portal.models import Unit
from portal.prospects.current import current_owner, is_staff
from portal.prospects.favourites import favourite_ids
from portal.prospects.fit_context import current_fit_context


def listing_panel_context(unit: Unit) -> dict:
    """Template variables for ``prospects/_listing_panel.html``."""
    if is_staff():
        return {"fit": None, "fit_has_basis": False, "is_saved": False, "is_staff": True}
    context = current_fit_context()
    prospect, visitor_id = current_owner()
    return {
        "fit": context.fit(unit),
        "fit_has_basis": context.has_basis,
        "is_saved": unit.id in favourite_ids(prospect, visitor_id),
        "is_staff": False,
    }
