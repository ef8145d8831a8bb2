"""The form for a place someone commutes to."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

MODE_CHOICES = [
    SelectChoice("transit", "Public transport (estimate)"),
    SelectChoice("walk", "Walking"),
    SelectChoice("bike", "Cycling"),
    SelectChoice("drive", "Driving"),
]


class DestinationForm(FlaskForm):
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
