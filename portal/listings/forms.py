"""The listing search filters, shared by the page and the JSON API."""

from datetime import date

from wtforms import IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, Length, NumberRange, Optional

from portal.geo.modes import COMMUTE_MODES, MODE_LABELS
from portal.input_limits import BoundedForm, IsoDateField
from portal.listings.services import ListingFilters

MAX_RENT_LIMIT = 100_000
MAX_PAGE = 10_000
MAX_COMMUTE_MINUTES = 240
_CHOOSE_MODE = f"Choose {', '.join(COMMUTE_MODES[:-1])} or {COMMUTE_MODES[-1]}."


class ListingFilterForm(BoundedForm):
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
        # No Optional(): it would let a blank-looking " " past the choice check.
    )
    max_rent = IntegerField(
        "Max rent (€ / month)",
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_RENT_LIMIT, message="Enter a rent between €1 and €100,000."),
        ],
    )
    available_by = IsoDateField(
        "Available by", validators=[Optional(strip_whitespace=False)], format="%Y-%m-%d"
    )
    commute_to = StringField(
        "Commute to",
        validators=[Optional(), Length(max=200, message="That address is too long.")],
    )
    mode = SelectField(
        "By",
        choices=[SelectChoice(mode, MODE_LABELS[mode]) for mode in COMMUTE_MODES],
        default="walk",
        validate_choice=False,
        validators=[AnyOf(COMMUTE_MODES, message=_CHOOSE_MODE)],
    )
    max_minutes = IntegerField(
        "Max minutes",
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_COMMUTE_MINUTES, message="Enter 1 to 240 minutes."),
        ],
    )
    sort = SelectField(
        "Sort",
        choices=[
            SelectChoice("", "Cheapest first"),
            SelectChoice("fit", "Best fit for you"),
            SelectChoice("commute", "Shortest commute first"),
        ],
        default="",
        validate_choice=False,
        validators=[AnyOf(["", "rent", "fit", "commute"], message="Sort by rent, fit or commute.")],
    )
    page = IntegerField(
        "Page",
        default=1,
        validators=[Optional(), NumberRange(min=1, max=MAX_PAGE, message="No such page.")],
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        wants_commute = self.sort.data == "commute" or self.max_minutes.data
        if valid and wants_commute and not self.commute_to_text:
            field = self.sort if self.sort.data == "commute" else self.max_minutes
            field.errors = [*field.errors, "Enter where you commute to first."]
            valid = False
        return valid

    @property
    def commute_to_text(self) -> str:
        return (self.commute_to.data or "").strip()

    def to_filters(self, commute_to: tuple[float, float] | None = None) -> ListingFilters:
        """The filters; ``commute_to`` is the resolved point of the commute_to field."""
        bedrooms = self.bedrooms.data
        available_by: date | None = self.available_by.data
        return ListingFilters(
            min_bedrooms=int(bedrooms) if bedrooms not in ("", None) else None,
            max_rent=self.max_rent.data,
            available_by=available_by,
            commute_to=commute_to,
            mode=self.mode.data,
            max_minutes=self.max_minutes.data,
            sort="commute" if self.sort.data == "commute" else "rent",
        )

    @property
    def page_number(self) -> int:
        return self.page.data or 1

    def field_errors(self) -> dict[str, list[str]]:
        return {name: list(errors) for name, errors in self.errors.items()}
