"""Forms of the studio's follow-up pages: snippets, steps and the send mode."""

from wtforms import IntegerField, SelectField, StringField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.input_limits import BoundedForm
from portal.models import SEND_MODES, STEP_CHANNELS, STEP_CONTENTS

CONTENT_LABELS = {
    "recap": "Recap of the tour",
    "priority": "A top priority (by rank)",
    "rebook": "Offer to re-book",
    "gentle_offer": "Gentle offer",
    "favourites": "Their saved homes",
    "quiet_close": "Quiet close",
}
CHANNEL_LABELS = {
    "preferred": "The prospect's channel",
    "email": "Email only",
    "sms": "SMS only",
    "phone": "A call by the agent",
}

SEND_MODE_LABELS = {"auto": "Automatically", "review": "After an agent's review"}


class SnippetForm(BoundedForm):
    subject = StringField("Subject", validators=[DataRequired(), Length(max=200)])
    body = TextAreaField("Text", validators=[DataRequired(), Length(max=5000)])


class StepForm(BoundedForm):
    content = SelectField(
        "Content", choices=[SelectChoice(c, CONTENT_LABELS[c]) for c in STEP_CONTENTS]
    )
    topic_rank = IntegerField(
        "Priority rank (priority steps)", validators=[Optional(), NumberRange(1, 13)]
    )
    delay_days = IntegerField(
        "Days after the step before", validators=[NumberRange(0, 90)], default=1
    )
    send_at = TimeField("At (local time; empty: the same time of day)", validators=[Optional()])
    channel = SelectField(
        "Channel", choices=[SelectChoice(c, CHANNEL_LABELS[c]) for c in STEP_CHANNELS]
    )
    expires_after_days = IntegerField(
        "Skip if not sent within (days)", validators=[NumberRange(1, 60)], default=7
    )


class SendModeForm(BoundedForm):
    send_mode = SelectField(
        "Sending",
        choices=[SelectChoice(m, SEND_MODE_LABELS[m]) for m in SEND_MODES],
    )
