"""Put one planned message together from current data: topic, home, snippet and facts.

Called at preview time and again at send time, so a message always states today's facts.
When the home the message is about is no longer available (leased), the next-best home
of the community by the prospect's fit takes its place; when there is none, or a fact the
snippet names is unknown, the message is skipped with the reason instead.
"""

from dataclasses import dataclass, field

import sqlalchemy as sa

from portal.extensions import db
from portal.followups.placeholders import MessageSubject, collect_facts
from portal.followups.render import RenderedFollowup, render_followup, render_snippet
from portal.geo.settings import GeoSettings
from portal.links import external_url
from portal.models import (
    Favourite,
    FollowupMessage,
    FollowupSnippet,
    Prospect,
    Tour,
    TourCapture,
    Unit,
)
from portal.prospects.contact_links import email_footer
from portal.prospects.fit.facts import geo_facts_of
from portal.prospects.fit.score import rank_by_fit
from portal.prospects.priorities import Priorities, current_priorities
from portal.prospects.topics import TOPICS

_LEVEL_ORDER = ("must_have", "important", "nice")


@dataclass(frozen=True)
class Composed:
    rendered: RenderedFollowup | None = None
    skip_reason: str | None = None
    topic: str | None = None
    unit: Unit | None = None
    notes: list[str] = field(default_factory=list)  # e.g. "home 12 was leased; showing 14"


def ranked_topics(priorities: Priorities, tour: Tour | None = None) -> list[str]:
    """The prospect's topics, most important first (questionnaire order within a level);
    the topics ticked at booking come after, when they said nothing else."""
    topics = [t for level in _LEVEL_ORDER for t in TOPICS if priorities.level(t) == level]
    if tour is not None:
        topics += [t for t in tour.priorities if t in TOPICS and t not in topics]
    return topics


def snippet_for(topic: str, property_id: int) -> FollowupSnippet | None:
    """The community's own snippet for ``topic``, else the house default."""
    own = db.session.scalar(
        sa.select(FollowupSnippet).where(
            FollowupSnippet.topic == topic, FollowupSnippet.property_id == property_id
        )
    )
    if own is not None:
        return own
    return db.session.scalar(
        sa.select(FollowupSnippet).where(
            FollowupSnippet.topic == topic, FollowupSnippet.property_id.is_(None)
        )
    )


def _available(unit: Unit | None) -> bool:
    return unit is not None and unit.status == "available"


def _wanted_unit(
    tour: Tour | None, capture: TourCapture | None, prospect: Prospect, property_id: int
) -> Unit | None:
    if tour is not None and tour.unit is not None:
        return tour.unit
    if capture is not None and capture.units_shown:
        return db.session.get(Unit, capture.units_shown[0])
    return db.session.scalar(
        sa.select(Unit)
        .join(Favourite, Favourite.unit_id == Unit.id)
        .where(Favourite.prospect_id == prospect.id, Unit.property_id == property_id)
        .order_by(Favourite.created_at, Unit.id)
        .limit(1)
    )


def next_best_unit(
    property_id: int, priorities: Priorities, settings: GeoSettings, facts_of=None
) -> Unit | None:
    """The community's available home that fits the prospect best (the fit ranking)."""
    units = db.session.scalars(
        sa.select(Unit).where(Unit.property_id == property_id, Unit.status == "available")
    ).all()
    if not units:
        return None
    ranked = rank_by_fit(units, facts_of or geo_facts_of([], settings), priorities)
    return ranked[0].item


def compose(message: FollowupMessage, settings: GeoSettings, *, secret_key: str) -> Composed:
    """The message as it would go now (reads the database; writes nothing)."""
    prospect = db.session.get(Prospect, message.prospect_id)
    tour = db.session.get(Tour, message.tour_id) if message.tour_id else None
    capture = (
        db.session.scalar(sa.select(TourCapture).where(TourCapture.tour_id == tour.id))
        if tour is not None
        else None
    )
    step, prop = message.step, message.plan.property
    priorities = current_priorities(prospect, None)
    topic = step.content
    if step.content == "priority":
        topics = ranked_topics(priorities, tour)
        if len(topics) < step.topic_rank:
            return Composed(skip_reason=f"the prospect named no priority number {step.topic_rank}")
        topic = topics[step.topic_rank - 1]
    notes = []
    unit = _wanted_unit(tour, capture, prospect, prop.id)
    if not _available(unit):
        replacement = next_best_unit(prop.id, priorities, settings)
        if replacement is None:
            return Composed(skip_reason=f"no home is available at {prop.name} any more")
        if unit is not None:
            notes.append(f"home {unit.number} is {unit.status}; showing home {replacement.number}")
        unit = replacement
    snippet = snippet_for(topic, prop.id)
    if snippet is None:
        return Composed(skip_reason=f"no snippet for '{topic}' at {prop.name}")
    subject = MessageSubject(
        prospect=prospect,
        unit=unit,
        priorities=priorities,
        tour=tour,
        capture=capture,
        topic=topic if topic in TOPICS else None,
        links={
            "listing_url": external_url("listings.detail", unit_id=unit.id),
            "book_url": external_url("tours.book", unit_id=unit.id),
        },
    )
    facts = collect_facts(subject, settings)
    footer = email_footer(prospect, secret_key=secret_key)
    if message.edited_text:
        rendered = render_followup(
            message.edited_subject or snippet.subject,
            message.edited_text,
            footer=footer,
            property_name=prop.name,
        )
        used = tuple((f["key"], f["value"]) for f in message.facts or [])
        return Composed(
            RenderedFollowup(rendered.subject, rendered.text, rendered.html, used),
            topic=topic,
            unit=unit,
            notes=notes,
        )
    rendered, missing = render_snippet(
        snippet.subject, snippet.body, facts, footer=footer, property_name=prop.name
    )
    if missing:
        return Composed(skip_reason=f"facts not known for this home: {', '.join(missing)}")
    return Composed(rendered, topic=topic, unit=unit, notes=notes)
