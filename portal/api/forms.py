"""The API's query forms: the page's filters plus what only the API offers."""

from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional

from portal.listings.forms import ListingFilterForm
from portal.staff.forms import ProspectFilterForm

MAX_PER_PAGE = 100


class ApiListingFilterForm(ListingFilterForm):
    """The listing filters, with ``per_page`` (the page fixes its own page size)."""

    per_page = IntegerField(
        "Per page",
        validators=[
            Optional(),
            NumberRange(
                min=1, max=MAX_PER_PAGE, message=f"Ask for 1 to {MAX_PER_PAGE} listings per page."
            ),
        ],
    )

    def page_size(self, default: int) -> int:
        """``per_page`` as asked, else ``default`` (the app's LISTINGS_PER_PAGE, 12)."""
        return self.per_page.data or default


class StaffProspectQuery(ProspectFilterForm):
    """The staff prospects list's filters, with the keyset ``after`` and ``limit``."""

    after = IntegerField("After", validators=[Optional(), NumberRange(min=1)])
    limit = IntegerField("Limit", validators=[Optional(), NumberRange(min=1, max=MAX_PER_PAGE)])
