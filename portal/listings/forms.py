"""The listing search filters, shared by the page and the JSON API."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from portal.listings.services import ListingFilters

MAX_RENT_LIMIT = 100_000
MAX_PAGE = 10_000


class ListingFilterForm(FlaskForm):
    """GET filters: no CSRF (they change nothing) and no prefix, so URLs stay readable."""

    class Meta:
        csrf = False

    bedrooms = SelectField(
        "Bedrooms",
        choices=[
            SelectChoice(value, label)
            for value, label in (
                ("", "Any"),
                ("0", "Studio or more"),
                ("1", "1+"),
                ("2", "2+"),
                ("3", "3+"),
            )
        ],
        default="",
        validators=[Optional()],
    )
    max_rent = IntegerField(
        "Max rent (€ / month)",
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_RENT_LIMIT, message="Enter a rent between €1 and €100,000."),
        ],
    )
    available_by = DateField("Available by", validators=[Optional()], format="%Y-%m-%d")
    # Additional orders (e.g. by commute) add their choice here.
    sort = SelectField(
        "Sort",
        choices=[SelectChoice("", "Cheapest first"), SelectChoice("fit", "Best fit for you")],
        default="",
        validators=[Optional()],
    )
    page = IntegerField(
        "Page",
        default=1,
        validators=[Optional(), NumberRange(min=1, max=MAX_PAGE, message="No such page.")],
    )

    def to_filters(self) -> ListingFilters:
        bedrooms = self.bedrooms.data
        available_by: date | None = self.available_by.data
        return ListingFilters(
            min_bedrooms=int(bedrooms) if bedrooms not in ("", None) else None,
            max_rent=self.max_rent.data,
            available_by=available_by,
        )

    @property
    def page_number(self) -> int:
        return self.page.data or 1

    def field_errors(self) -> dict[str, list[str]]:
        return {name: list(errors) for name, errors in self.errors.items()}
