"""The form for a place someone commutes to."""

from wtforms import SelectField, StringField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from portal.geo.modes import MODE_LABELS, ROUTED_MODES
from portal.input_limits import BoundedForm

# Public transport first: most people commute to work or study by it.
MODE_CHOICES = [SelectChoice(mode, MODE_LABELS[mode]) for mode in ("transit", *ROUTED_MODES)]


class DestinationForm(BoundedForm):
    label = StringField(
        "Name this place",
        default="Work",
        validators=[DataRequired("Give the place a short name."), Length(max=60)],
    )
    address = StringField(
        "Address",
        validators=[
            DataRequired("Enter an address, for example Mannerheimintie 5."),
            Length(max=200),
        ],
    )
    mode = SelectField("Usually by", choices=MODE_CHOICES, default="transit")
    arrive_by = TimeField("Arrive by", validators=[Optional()])
