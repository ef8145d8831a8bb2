"""The staff area's forms: weekly hours (an agent's or a property's), overrides, tour set-up."""

import calendar
from collections.abc import Iterable
from datetime import time

from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.input_limits import BoundedForm
from portal.models import GRID_MINUTES, LIFECYCLE_STAGES
from portal.models.capture import INTEREST_LEVELS, OBJECTION_LABELS
from portal.prospects.staff_list import LAST_CONTACT_CHOICES, ProspectFilters

NEXT_STEP_LABELS = {
    "apply": "Will apply",
    "second_visit": "Second visit",
    "decide_by": "Decides by a date",
    "lost": "Lost",
}

WEEKDAYS = list(calendar.day_name)  # Monday first, as date.weekday()


class WeeklyHoursForm(BoundedForm):
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
        """The filled-in days as weekday -> (start, end)."""
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


class OverrideForm(BoundedForm):
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


def _empty_is_zero(value: int | None) -> int | None:
    return 0 if value is None else value


def _minutes(label: str, low: int, high: int) -> IntegerField:
    """Minutes on the grid; an optional one (``low`` 0) left empty means 0, not NULL."""
    if low:
        return IntegerField(
            label, validators=[DataRequired(), NumberRange(low, high), OnGrid()], default=low
        )
    return IntegerField(
        label,
        validators=[Optional(), NumberRange(low, high), OnGrid()],
        filters=[_empty_is_zero],
        default=low,
    )


class TourTypeForm(BoundedForm):
    duration_minutes = _minutes("Length (minutes)", 15, 240)
    interval_minutes = _minutes("A slot every (minutes)", 15, 240)
    buffer_before_minutes = _minutes("Buffer before (minutes)", 0, 120)
    buffer_after_minutes = _minutes("Buffer after (minutes)", 0, 120)
    min_notice_minutes = IntegerField(
        "Minimum notice (minutes)",
        validators=[Optional(), NumberRange(0, 10080)],
        filters=[_empty_is_zero],
        default=0,
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


class ConfirmationSwitchForm(BoundedForm):
    """The per-property switch: one confirmation mode for every tour type at once."""

    confirmation = SelectField("Confirmation for all tour types", choices=CONFIRMATION_CHOICES)


UNVERIFIED_INSTANT_CHOICES = [
    SelectChoice("capped", "Confirm at once, up to the caps; beyond them by the emailed link"),
    SelectChoice("link", "Always by the emailed link (signed-in prospects: at once)"),
]


class UnverifiedInstantForm(BoundedForm):
    """The per-property choice for instant tours booked with an email nobody has confirmed."""

    unverified_instant = SelectField(
        "Instant tours booked with an email address nobody has confirmed",
        choices=UNVERIFIED_INSTANT_CHOICES,
    )


class HolidayForm(BoundedForm):
    day = DateField("Date", validators=[DataRequired()])
    name = StringField("Name", validators=[Optional(), Length(max=80)])


class FollowupEditForm(BoundedForm):
    """The agent's own words for a queued follow-up (sent exactly as written)."""

    subject = StringField("Subject", validators=[DataRequired(), Length(max=200)])
    text = TextAreaField("Message", validators=[DataRequired(), Length(max=5000)])


class FollowupRescheduleForm(BoundedForm):
    when = DateTimeLocalField(
        "New time (the community's time zone)", format="%Y-%m-%dT%H:%M", validators=[DataRequired()]
    )


class FollowupSkipForm(BoundedForm):
    reason = StringField("Why skip it?", validators=[DataRequired(), Length(max=150)])


class ApiTokenForm(BoundedForm):
    """A new staff API token: what it is for and, optionally, when it stops working."""

    name = StringField("Name", validators=[DataRequired(), Length(max=80)])
    expires_days = IntegerField(
        "Expires after (days)",
        validators=[Optional(), NumberRange(min=1, max=3650)],
        description="Leave empty for a token that works until you revoke it.",
    )


class MemberForm(BoundedForm):
    """Add an agent to a property; the choices are the active agents not yet members."""

    staff_id = SelectField("Agent", coerce=int, validate_choice=True, choices=[])


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (phone-friendly, no multi-select box)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CaptureForm(BoundedForm):
    """The completion form of a tour; the priorities learned in person come alongside in
    a ``PrioritiesForm`` with the prefix ``priorities`` (the same fields as the
    prospect's own questionnaire). Range rules live in ``portal.tours.capture``."""

    version = HiddenField()
    units_shown = MultiCheckboxField("Units shown", coerce=int, validate_choice=False)
    interest_level = RadioField(
        "Interest level",
        choices=choices((str(n), str(n)) for n in INTEREST_LEVELS),
        validate_choice=False,
    )
    liked = TextAreaField("What they liked", validators=[Optional(), Length(max=1000)])
    objections = MultiCheckboxField(
        "Objections", choices=choices(OBJECTION_LABELS.items()), validate_choice=False
    )
    objection_note = StringField(
        "Objection note (needed for “Other”)", validators=[Optional(), Length(max=500)]
    )
    next_step = RadioField(
        "Next step", choices=choices(NEXT_STEP_LABELS.items()), validate_choice=False
    )
    decide_by = DateField("Decides by", validators=[Optional()], format="%Y-%m-%d")
    lost_reason = StringField(
        "Reason (needed for “Lost”)", validators=[Optional(), Length(max=200)]
    )
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=2000)])

    def answers(self) -> dict:
        """The answers as ``portal.tours.capture.record_capture`` takes them."""
        level = str(self.interest_level.data or "").strip()
        # A short run of ASCII digits becomes a number the capture checks for 1–5; anything
        # else (a 5,000-digit string included) goes as typed and is refused there.
        short_number = level.isascii() and level.isdigit() and len(level) <= 3
        return {
            "units_shown": list(self.units_shown.data or []),
            "interest_level": int(level) if short_number else level or None,
            "liked": self.liked.data or "",
            "objections": list(self.objections.data or []),
            "objection_note": self.objection_note.data or "",
            "next_step": self.next_step.data or None,
            "decide_by": self.decide_by.data,
            "lost_reason": self.lost_reason.data or "",
            "notes": self.notes.data or "",
        }


class ProspectFilterForm(BoundedForm):
    """The prospects list's filters (a GET form, for the page and the API alike)."""

    class Meta:
        csrf = False

    q = StringField("Search name, email or phone", validators=[Optional(), Length(max=100)])
    stage = SelectField(
        "Stage",
        choices=choices([("", "Any stage"), *((s, s) for s in LIFECYCLE_STAGES)]),
        default="",
    )
    property_id = SelectField("Property", choices=[], default="")
    agent_id = SelectField("Agent", choices=[], default="")
    source = StringField("Source (first touch)", validators=[Optional(), Length(max=100)])
    last_contact = SelectField(
        "Last contact",
        choices=choices([("", "Any time"), *LAST_CONTACT_CHOICES.items()]),
        default="",
    )
    upcoming_tour = SelectField(
        "Upcoming tour",
        choices=choices([("", "Either"), ("yes", "Has one"), ("no", "Has none")]),
        default="",
    )

    def offer(self, properties, agents) -> "ProspectFilterForm":
        """Fill the property and agent choices with what the viewer may pick."""
        self.property_id.choices = choices(
            [("", "Any property"), *((str(p.id), p.name) for p in properties)]
        )
        self.agent_id.choices = choices([("", "Any agent"), *((str(a.id), a.name) for a in agents)])
        return self

    def filters(self) -> ProspectFilters:
        upcoming = {"yes": True, "no": False}.get(self.upcoming_tour.data or "")
        return ProspectFilters(
            q=(self.q.data or "").strip(),
            stage=self.stage.data or None,
            property_id=int(self.property_id.data) if self.property_id.data else None,
            agent_id=int(self.agent_id.data) if self.agent_id.data else None,
            source=(self.source.data or "").strip(),
            last_contact=self.last_contact.data or None,
            upcoming_tour=upcoming,
        )


class NoteForm(BoundedForm):
    body = TextAreaField("New note", validators=[DataRequired(), Length(max=2000)])


class AssignForm(BoundedForm):
    agent_id = SelectField("Looked after by", choices=[], validate_choice=True)


class StageForm(BoundedForm):
    stage = SelectField("Stage", choices=choices((s, s) for s in LIFECYCLE_STAGES))
    reason = StringField("Reason (needed for “lost”)", validators=[Length(max=200)])

    def validate_reason(self, field):
        if self.stage.data == "lost" and not (field.data or "").strip():
            raise ValidationError("Say why the prospect is lost.")
