"""Forms for an agent's weekly hours and dated overrides."""

import calendar
from collections.abc import Iterable
from datetime import time

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

WEEKDAYS = list(calendar.day_name)  # Monday first, as date.weekday()


class WeeklyHoursForm(FlaskForm):
    """One optional start and end per weekday; leave both empty for a day off."""

    @classmethod
    def filled(cls, rows: Iterable[tuple[int, time, time]]) -> "WeeklyHoursForm":
        """A form showing the stored windows, given as (weekday, start, end)."""
        form = cls(formdata=None)
        for weekday, starts, ends in rows:
            form[f"starts_{weekday}"].data = starts
            form[f"ends_{weekday}"].data = ends
        return form

    def windows(self) -> dict[int, tuple]:
        return {
            d: (self[f"starts_{d}"].data, self[f"ends_{d}"].data)
            for d in range(7)
            if self[f"starts_{d}"].data
        }

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for d in range(7):
            starts, ends = self[f"starts_{d}"], self[f"ends_{d}"]
            if bool(starts.data) != bool(ends.data):
                ends.errors = [*ends.errors, "Give both a start and an end, or neither."]
                ok = False
            elif starts.data and starts.data >= ends.data:
                ends.errors = [*ends.errors, "The end must be after the start."]
                ok = False
        return ok


for _day, _name in enumerate(WEEKDAYS):
    setattr(WeeklyHoursForm, f"starts_{_day}", TimeField(f"{_name} from", [Optional()]))
    setattr(WeeklyHoursForm, f"ends_{_day}", TimeField(f"{_name} until", [Optional()]))


class OverrideForm(FlaskForm):
    day = DateField("Date", validators=[DataRequired()])
    kind = SelectField(
        "Kind",
        choices=[SelectChoice("off", "Time off"), SelectChoice("extra", "Extra hours")],
        default="off",
    )
    starts = TimeField("From (empty: the whole day off)", validators=[Optional()])
    ends = TimeField("Until", validators=[Optional()])
    note = StringField("Note", validators=[Optional(), Length(max=120)])

    def validate_ends(self, field):
        if bool(self.starts.data) != bool(field.data):
            raise ValidationError("Give both times, or neither for a whole day off.")
        if field.data and self.starts.data >= field.data:
            raise ValidationError("The end must be after the start.")
        if not field.data and self.kind.data == "extra":
            raise ValidationError("Extra hours need a start and an end.")
