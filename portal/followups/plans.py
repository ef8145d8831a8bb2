"""Marketers' editing of follow-up plans, steps, send mode and snippets (flush, never commit).

A snippet is checked when it is saved: an unknown placeholder is refused with the list
of valid ones (``placeholders.validate_snippet``), so nothing breaks at send time.
"""

from dataclasses import dataclass
from datetime import time

import sqlalchemy as sa

from portal.extensions import db
from portal.followups.compose import Composed, next_best_unit
from portal.followups.placeholders import (  # noqa: F401  (validate_snippet: the studio's preview)
    MessageSubject,
    collect_facts,
    validate_snippet,
)
from portal.followups.render import render_snippet
from portal.forms import FieldErrors
from portal.geo.settings import GeoSettings
from portal.links import external_url
from portal.mail.render import EmailFooter
from portal.models import (
    SEND_MODES,
    STEP_CHANNELS,
    STEP_CONTENTS,
    FollowupMessage,
    FollowupPlan,
    FollowupSettings,
    FollowupSnippet,
    FollowupStep,
    Property,
    Prospect,
    StaffUser,
)
from portal.prospects.priorities import Priorities
from portal.prospects.topics import TOPICS

# Every content a snippet can be written for: the priority topics and the step contents.
SNIPPET_TOPICS: dict[str, str] = {
    **TOPICS,
    "recap": "Recap after the tour",
    "rebook": "Offer to re-book (no-show)",
    "gentle_offer": "Gentle offer (cancelled)",
    "favourites": "Saved homes, no tour",
    "quiet_close": "Quiet close",
}
MAX_STEPS = 12


class InvalidSnippet(FieldErrors):
    """A snippet that names unknown placeholders or breaks the bracket rules."""


class InvalidStep(FieldErrors):
    """A step that the plan cannot hold."""


def save_snippet(
    topic: str, property_id: int | None, subject: str, body: str, staff: StaffUser
) -> FollowupSnippet:
    """Create or replace the community's snippet for ``topic`` (flushes).

    :raises InvalidSnippet: naming each field's errors (unknown placeholders with the
        valid list); nothing is stored then.
    """
    errors = {}
    if topic not in SNIPPET_TOPICS:
        errors["topic"] = "is not a topic follow-ups are written for"
    for name, text in (("subject", subject), ("body", body)):
        if problems := validate_snippet(text):
            errors[name] = " ".join(problems)
    if errors:
        raise InvalidSnippet(errors)
    snippet = db.session.scalar(
        sa.select(FollowupSnippet).where(
            FollowupSnippet.topic == topic,
            FollowupSnippet.property_id.is_(None)
            if property_id is None
            else FollowupSnippet.property_id == property_id,
        )
    )
    if snippet is None:
        snippet = FollowupSnippet(topic=topic, property_id=property_id)
        db.session.add(snippet)
    snippet.subject, snippet.body, snippet.updated_by = subject.strip(), body.strip(), staff.id
    db.session.flush()
    return snippet


def set_send_mode(property_id: int, mode: str) -> FollowupSettings:
    if mode not in SEND_MODES:
        raise InvalidStep({"send_mode": f"must be one of {', '.join(SEND_MODES)}"})
    settings = db.session.get(FollowupSettings, property_id)
    if settings is None:
        settings = FollowupSettings(property_id=property_id)
        db.session.add(settings)
    settings.send_mode = mode
    db.session.flush()
    return settings


@dataclass(frozen=True)
class StepValues:
    content: str
    topic_rank: int | None
    delay_days: int
    send_at: time | None
    channel: str
    expires_after_days: int


def _check(values: StepValues) -> None:
    errors = {}
    if values.content not in STEP_CONTENTS:
        errors["content"] = f"must be one of {', '.join(STEP_CONTENTS)}"
    if values.channel not in STEP_CHANNELS:
        errors["channel"] = f"must be one of {', '.join(STEP_CHANNELS)}"
    if (values.content == "priority") != (values.topic_rank is not None):
        errors["topic_rank"] = "give the priority's rank (1 = top) for priority steps only"
    elif values.topic_rank is not None and not 1 <= values.topic_rank <= len(TOPICS):
        errors["topic_rank"] = f"must be from 1 to {len(TOPICS)}"
    if not 0 <= values.delay_days <= 90:
        errors["delay_days"] = "must be from 0 to 90 days"
    if not 1 <= values.expires_after_days <= 60:
        errors["expires_after_days"] = "must be from 1 to 60 days"
    if errors:
        raise InvalidStep(errors)


def update_step(step: FollowupStep, values: StepValues) -> None:
    """Change a step; messages already planned keep their time, later ones follow it."""
    _check(values)
    for name, value in values.__dict__.items():
        setattr(step, name, value)
    db.session.flush()


def add_step(plan: FollowupPlan, values: StepValues) -> FollowupStep:
    """Append a step at the end of the plan (runs still in the plan will reach it)."""
    _check(values)
    if len(plan.steps) >= MAX_STEPS:
        raise InvalidStep({"content": f"a plan has at most {MAX_STEPS} steps"})
    position = max((s.position for s in plan.steps), default=0) + 1
    step = FollowupStep(plan=plan, position=position, **values.__dict__)
    db.session.add(step)
    db.session.flush()
    return step


def remove_last_step(plan: FollowupPlan) -> None:
    """Drop the plan's last step when no message was planned for it yet."""
    if not plan.steps:
        return
    last = plan.steps[-1]
    used = db.session.scalar(
        sa.select(FollowupMessage.id).where(FollowupMessage.step_id == last.id)
    )
    if used is not None:
        raise InvalidStep(
            {"content": "messages were already planned for this step; edit it instead"}
        )
    plan.steps.remove(last)
    db.session.flush()


def preview_snippet(
    prop: Property, topic: str, subject: str, body: str, settings: GeoSettings
) -> Composed:
    """The snippet rendered for a sample prospect and the community's best available home.

    The sample has no personal data (marketers see none): first name "Sam", the topic as
    their only must-have, no saved places.
    """
    sample = Prospect(name="Sam Sample", email="sam.sample@example.com")
    priorities = Priorities(importance={topic: "must_have"}) if topic in TOPICS else Priorities()
    unit = next_best_unit(prop.id, priorities, settings)
    if unit is None:
        return Composed(skip_reason=f"{prop.name} has no available home to preview with")
    facts = collect_facts(
        MessageSubject(
            prospect=sample,
            unit=unit,
            priorities=priorities,
            topic=topic if topic in TOPICS else None,
            links={
                "listing_url": external_url("listings.detail", unit_id=unit.id),
                "book_url": external_url("tours.book", unit_id=unit.id),
            },
        ),
        settings,
    )
    footer = EmailFooter(preferences_url=external_url("prospects.contact"))
    rendered, missing = render_snippet(subject, body, facts, footer=footer, property_name=prop.name)
    if missing:
        return Composed(
            skip_reason=f"would be skipped for home {unit.number}: no {', '.join(missing)}",
            unit=unit,
        )
    return Composed(rendered, topic=topic, unit=unit)
