"""The insights page's filters and CSV choice (GET forms: nothing changes, no CSRF)."""

from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from portal.input_limits import BoundedForm
from portal.studio.insights_query import CUTS, DEFAULT_CUT, DEFAULT_PERIOD, PERIODS
from portal.studio.insights_tables import TABLES

PERIOD_LABELS = {key: f"Last {days} days" for key, days in PERIODS.items()}


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class InsightsFilterForm(BoundedForm):
    """GET filters of the insights: no CSRF (they change nothing), readable URLs.

    Community, agent and source choices are set by the view from what exists.
    """

    class Meta:
        csrf = False

    period = SelectField("Period", choices=choices(PERIOD_LABELS.items()), default=DEFAULT_PERIOD)
    start = DateField("From (optional)", validators=[Optional()], format="%Y-%m-%d")
    end = DateField("To (optional, inclusive)", validators=[Optional()], format="%Y-%m-%d")
    community = SelectField("Community", choices=choices([("", "All communities")]), default="")
    agent = SelectField("Agent", choices=choices([("", "All agents")]), default="")
    source = SelectField("First-touch source", choices=choices([("", "All sources")]), default="")
    by = SelectField("Rows by", choices=choices(CUTS.items()), default=DEFAULT_CUT)

    def validate_end(self, field) -> None:
        if field.data and not self.start.data:
            raise ValidationError("Give a start date too, or choose a period.")
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError("The end date must not be before the start date.")

    def validate_start(self, field) -> None:
        if field.data and not self.end.data:
            raise ValidationError("Give an end date too, or choose a period.")


class InsightsCsvForm(InsightsFilterForm):
    table = SelectField("Table", choices=choices(TABLES.items()))
