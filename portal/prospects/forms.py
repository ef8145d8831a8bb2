"""Forms of the prospect area: sign-in, priorities, contact preferences, signals."""

from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from portal.input_limits import BoundedForm
from portal.models import SIGNAL_KINDS
from portal.prospects.priorities import (
    COMMUTE_LIMIT_RANGE,
    IMPORTANCE_LEVELS,
    MAX_BEDROOMS,
    MAX_RENT,
    NOTES_MAX,
    Priorities,
)
from portal.prospects.topics import TOPICS


class SignInForm(BoundedForm):
    email = EmailField("Your email", validators=[DataRequired(), Email(), Length(max=254)])
    next = HiddenField()
    submit = SubmitField("Email me a sign-in link")


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class ProfileForm(BoundedForm):
    name = StringField("Your name", validators=[Optional(), Length(max=120)])
    phone = StringField("Phone", validators=[Optional(), Length(max=40)])
    submit = SubmitField("Save my details")


_IMPORTANCE_CHOICES = [("", "Not answered"), *IMPORTANCE_LEVELS.items()]


class PrioritiesForm(BoundedForm):
    """The questionnaire; one importance select per topic is added below the class."""

    commute_max_minutes = IntegerField(
        "Longest acceptable commute (minutes, one way)",
        validators=[
            Optional(),
            NumberRange(*COMMUTE_LIMIT_RANGE, message="Enter 5 to 180 minutes."),
        ],
    )
    budget_min = IntegerField(
        "Rent from (€ / month)",
        validators=[Optional(), NumberRange(0, MAX_RENT, message="Enter €0 to €100,000.")],
    )
    budget_max = IntegerField(
        "Rent up to (€ / month)",
        validators=[Optional(), NumberRange(1, MAX_RENT, message="Enter €1 to €100,000.")],
    )
    bedrooms = IntegerField(
        "Bedrooms, at least",
        validators=[Optional(), NumberRange(0, MAX_BEDROOMS, message="Enter 0 (studio) to 10.")],
    )
    move_in = DateField("Move-in date", validators=[Optional()], format="%Y-%m-%d")
    notes = TextAreaField("Anything else?", validators=[Optional(), Length(max=NOTES_MAX)])
    submit = SubmitField("Save what matters to me")

    def validate_budget_max(self, field):
        low = self.budget_min.data
        if field.data is not None and low is not None and low > field.data:
            raise ValidationError("The upper limit must not be below the lower one.")

    def topic_fields(self):
        return [(topic, self[f"importance_{topic}"]) for topic in TOPICS]

    def fill_from(self, p: Priorities) -> None:
        for topic in TOPICS:
            self[f"importance_{topic}"].data = p.level(topic) or ""
        for name in ("commute_max_minutes", "budget_min", "budget_max", "bedrooms", "move_in"):
            self[name].data = getattr(p, name)
        self.notes.data = p.notes

    def to_priorities(self) -> Priorities:
        importance = {
            topic: self[f"importance_{topic}"].data
            for topic in TOPICS
            if self[f"importance_{topic}"].data
        }
        return Priorities(
            importance=importance,
            commute_max_minutes=self.commute_max_minutes.data,
            budget_min=self.budget_min.data,
            budget_max=self.budget_max.data,
            bedrooms=self.bedrooms.data,
            move_in=self.move_in.data,
            notes=(self.notes.data or "").strip(),
        )


for _topic, _label in TOPICS.items():
    setattr(
        PrioritiesForm,
        f"importance_{_topic}",
        SelectField(
            # No Optional(): "" (not answered) is a choice; it would let " " past the check.
            _label,
            choices=_choices(_IMPORTANCE_CHOICES),
            default="",
        ),
    )


class ContactPreferencesForm(BoundedForm):
    channel = SelectField(
        "How may we contact you?",
        choices=_choices(
            [
                ("email", "Email"),
                ("sms", "Text message"),
                ("phone", "Phone call"),
                ("none", "Not at all"),
            ]
        ),
    )
    pace = SelectField(
        "How often?",
        choices=_choices(
            [
                ("any", "Whenever there is news"),
                ("weekly", "At most one message a week"),
                ("on_request", "Only when I ask"),
            ]
        ),
    )
    quiet_from = TimeField("Quiet hours from", validators=[Optional()])
    quiet_until = TimeField("Quiet hours until", validators=[Optional()])
    paused_until = DateField("Pause all messages until", validators=[Optional()])
    marketing_consent = BooleanField("Write to me about homes I saved, even before I book a tour")
    submit = SubmitField("Save contact preferences")


class SignalForm(BoundedForm):
    """A browsing beacon; CSRF comes in the form body or the X-CSRFToken header."""

    kind = SelectField(choices=_choices((k, k) for k in SIGNAL_KINDS), validate_choice=True)
    unit_id = IntegerField(validators=[Optional(), NumberRange(min=1)])
    topic = StringField(validators=[Optional(), Length(max=40)])
    dwell_seconds = IntegerField(validators=[Optional(), NumberRange(0, 24 * 3600)])


class ConsentForm(BoundedForm):
    choice = SelectField(choices=_choices([("all", "Allow"), ("necessary", "Only necessary")]))
    next = HiddenField()
