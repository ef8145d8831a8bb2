"""What an agent needs to know before a tour: stated priorities, interests, recent looks.

Plain data (no request, no templates), for the staff tour brief page and follow-ups
to render; neither is built yet (the staff-view issue builds the brief on this).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from portal.models import Prospect
from portal.prospects.interests import InferredInterest, infer_interests
from portal.prospects.priorities import IMPORTANCE_LEVELS, latest_version, stored_priorities
from portal.prospects.signals import signals_of
from portal.prospects.topics import TOPICS


@dataclass(frozen=True)
class ProspectBrief:
    by_importance: dict[str, list[str]] = field(default_factory=dict)  # level label -> topics
    budget_min: int | None = None
    budget_max: int | None = None
    bedrooms: int | None = None
    move_in: date | None = None
    commute_max_minutes: int | None = None
    notes: str = ""
    recorded_at: datetime | None = None
    recorded_by: str | None = None  # "prospect", "agent" or "inferred"
    interests: list[InferredInterest] = field(default_factory=list)
    most_viewed_unit_ids: list[int] = field(default_factory=list)


def prospect_brief(prospect: Prospect, *, most_viewed: int = 5) -> ProspectBrief:
    """The prospect's current priorities, inferred interests and most-looked-at listings."""
    version = latest_version(prospect)
    p = stored_priorities(version) if version else None
    signals = signals_of(prospect)
    looked = Counter()
    for s in signals:
        if s.unit_id is not None and s.kind == "listing_view":
            looked[s.unit_id] += s.dwell_seconds or 0
    stated = {}
    if p is not None:
        for level in ("must_have", "important", "nice"):
            topics = [label for t, label in TOPICS.items() if p.level(t) == level]
            if topics:
                stated[IMPORTANCE_LEVELS[level]] = topics
    return ProspectBrief(
        by_importance=stated,
        budget_min=p.budget_min if p else None,
        budget_max=p.budget_max if p else None,
        bedrooms=p.bedrooms if p else None,
        move_in=p.move_in if p else None,
        commute_max_minutes=p.commute_max_minutes if p else None,
        notes=p.notes if p else "",
        recorded_at=version.created_at if version else None,
        recorded_by=version.source if version else None,
        interests=[
            i
            for i in infer_interests(signals)
            if i.topic not in TOPICS or not (p and p.level(i.topic))
        ],
        most_viewed_unit_ids=[unit_id for unit_id, _ in looked.most_common(most_viewed)],
    )
