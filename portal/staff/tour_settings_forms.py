"""Forms for a property's tour set-up: tour types, the confirmation switch, holidays."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from portal.models import GRID_MINUTES

CONFIRMATION_CHOICES = [
    SelectChoice("instant", "Instant: confirmed at once"),
    SelectChoice("staff", "Staff review: an agent confirms each request"),
    SelectChoice("visitor", "Visitor confirms from the emailed link"),
]


class OnGrid:
    """Minutes must be a multiple of the booking grid (15), so tours claim whole cells."""

    def __call__(self, form, field):
        if field.data is not None and field.data % GRID_MINUTES:
            raise ValidationError(f"Use a multiple of {GRID_MINUTES} minutes.")


def _minutes(label: str, low: int, high: int) -> IntegerField:
    return IntegerField(
        label,
        validators=[DataRequired() if low else Optional(), NumberRange(low, high), OnGrid()],
        default=low,
    )


class TourTypeForm(FlaskForm):
    duration_minutes = _minutes("Length (minutes)", 15, 240)
    interval_minutes = _minutes("A slot every (minutes)", 15, 240)
    buffer_before_minutes = _minutes("Buffer before (minutes)", 0, 120)
    buffer_after_minutes = _minutes("Buffer after (minutes)", 0, 120)
    min_notice_minutes = IntegerField(
        "Minimum notice (minutes)", validators=[Optional(), NumberRange(0, 10080)], default=0
    )
    horizon_days = IntegerField(
        "Bookable this many days ahead", validators=[DataRequired(), NumberRange(1, 365)]
    )
    capacity = IntegerField(
        "Parties per slot (self-guided)", validators=[DataRequired(), NumberRange(1, 50)]
    )
    confirmation = SelectField("Confirmation", choices=CONFIRMATION_CHOICES)
    hold_hours = IntegerField(
        "Unconfirmed requests expire after (hours)",
        validators=[DataRequired(), NumberRange(1, 168)],
    )
    active = BooleanField("Offered")


class ConfirmationSwitchForm(FlaskForm):
    """The per-property switch: one confirmation mode for every tour type at once."""

    confirmation = SelectField("Confirmation for all tour types", choices=CONFIRMATION_CHOICES)


class HolidayForm(FlaskForm):
    day = DateField("Date", validators=[DataRequired()])
    name = StringField("Name", validators=[Optional(), Length(max=80)])
