"""Booking, "what matters to you" and reschedule forms (pages and API alike)."""

from datetime import UTC, datetime

from wtforms import (
    EmailField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Email, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.input_limits import BoundedForm
from portal.models import TOUR_CONTACT_CHANNELS, TOUR_KINDS
from portal.prospects.priorities import TOPICS
from portal.tours.booking import Contact

# The same topics as the prospect questionnaire: one definition of "what matters".
PRIORITIES = TOPICS
PRIORITY_CHOICES = [SelectChoice(key, label) for key, label in PRIORITIES.items()]
CHANNEL_CHOICES = [
    SelectChoice("email", "Email"),
    SelectChoice("phone", "Phone call"),
    SelectChoice("sms", "Text message"),
]
# Empty means none; Optional() would also let "  " through as a key.
IDEMPOTENCY_KEY = Regexp(r"^(?:[A-Za-z0-9_\-]{16,64})?$", message="Not a valid request key.")


def parse_instant(value: str | None) -> datetime | None:
    """An ISO 8601 instant with its offset (``Z`` allowed) as aware UTC, else None."""
    if not value or len(value) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(value)
        # An instant at the edge of the calendar ("0001-01-01T00:00+01:00") has no UTC.
        return parsed.astimezone(UTC) if parsed.tzinfo else None
    except (ValueError, OverflowError):
        return None


class StartField(HiddenField):
    """A slot start as an ISO instant with a time zone."""

    def pre_validate(self, form):
        if parse_instant(self.data) is None:
            raise ValidationError("Pick one of the offered times.")

    @property
    def instant(self) -> datetime | None:
        return parse_instant(self.data)


class BookingForm(BoundedForm):
    type = HiddenField(validators=[DataRequired(), AnyOf(TOUR_KINDS, message="Unknown tour type.")])
    start = StartField()
    idempotency_key = HiddenField(validators=[IDEMPOTENCY_KEY])
    name = StringField("Your name", validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        "Email",
        validators=[
            DataRequired(),
            Length(max=254),
            Email(message="Enter an email address like name@example.com."),
        ],
    )
    phone = TelField(
        "Phone (optional)",
        validators=[
            Optional(),
            Length(max=40),
            Regexp(r"^\+?[0-9 ()\-]{5,40}$", message="Enter a phone number with digits only."),
        ],
    )
    contact_channel = RadioField(
        "How should we contact you?", choices=CHANNEL_CHOICES, default="email"
    )

    def validate_contact_channel(self, field):
        if field.data not in TOUR_CONTACT_CHANNELS:
            raise ValidationError("Choose email, phone or text message.")
        if field.data in ("phone", "sms") and not self.phone.data:
            raise ValidationError("Give a phone number so we can call or text you.")


def contact_from(form: BookingForm, answers: "BookingAnswersForm | None" = None) -> Contact:
    """The visitor's validated contact details (and optional answers) for ``book_tour``."""
    return Contact(
        name=form.name.data.strip(),
        email=form.email.data.strip(),
        phone=(form.phone.data or "").strip(),
        channel=form.contact_channel.data,
        priorities=list(answers.priorities.data or []) if answers else [],
        priorities_note=(answers.note.data or "").strip() if answers else "",
    )


class BookingAnswersForm(BoundedForm):
    """The booking's optional "what matters to you" step (feeds the prospect's priorities)."""

    priorities = SelectMultipleField(
        "What matters most to you in a new home?",
        choices=PRIORITY_CHOICES,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        # No Optional(): it stops at a blank first value, and [""] would skip the choice check.
    )
    note = TextAreaField("Anything else we should know?", validators=[Optional(), Length(max=500)])


class RescheduleForm(BoundedForm):
    start = StartField()
