"""What an agent needs to know before a tour: stated priorities, interests, recent looks.

Plain data (no request, no templates). The staff tour brief (``portal.tours.brief``)
and follow-ups render it; ``browsing_summary`` says what the prospect looked at.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from portal.extensions import db
from portal.models import BrowsingSignal, Favourite, PriorityVersion, Property, Prospect, Unit
from portal.models.unit import home_title
from portal.prospects.interests import InferredInterest, infer_interests
from portal.prospects.priorities import IMPORTANCE_LEVELS, latest_version, stored_priorities
from portal.prospects.signals import signals_of
from portal.prospects.topics import TOPICS

RANKED_LEVELS = ("must_have", "important", "nice")


@dataclass(frozen=True)
class RankedPriority:
    topic: str
    label: str
    importance: str  # a key of IMPORTANCE_LEVELS
    importance_label: str
    source: str  # "prospect", "agent" or "inferred": who recorded the version
    recorded_at: datetime | None


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
    # Stated topics, most important first (questionnaire order within a level).
    ranked: list[RankedPriority] = field(default_factory=list)


_UNREAD = object()


def prospect_brief(
    prospect: Prospect,
    *,
    most_viewed: int = 5,
    signals: list[BrowsingSignal] | None = None,
    version: PriorityVersion | None | object = _UNREAD,
) -> ProspectBrief:
    """The prospect's current priorities, inferred interests and most-looked-at listings.

    :param signals: the prospect's signals when the caller has read them already.
    :param version: their latest priority version (or None) when the caller has read it.
    """
    if version is _UNREAD:
        version = latest_version(prospect)
    p = stored_priorities(version) if version else None
    signals = signals_of(prospect) if signals is None else signals
    looked = Counter()
    for s in signals:
        if s.unit_id is not None and s.kind == "listing_view":
            looked[s.unit_id] += s.dwell_seconds or 0
    stated, ranked = {}, []
    if p is not None:
        for level in RANKED_LEVELS:
            topics = [(t, label) for t, label in TOPICS.items() if p.level(t) == level]
            if topics:
                stated[IMPORTANCE_LEVELS[level]] = [label for _, label in topics]
            ranked += [
                RankedPriority(
                    t, label, level, IMPORTANCE_LEVELS[level], version.source, version.created_at
                )
                for t, label in topics
            ]
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
        ranked=ranked,
    )


@dataclass(frozen=True)
class LookedAt:
    """One listing and what the prospect did on it."""

    unit_id: int
    title: str
    property_name: str
    views: int = 0
    dwell_seconds: int = 0
    photos: int = 0
    window_views: int = 0
    virtual_tours: int = 0
    commute_checks: int = 0
    favourite: bool = False


@dataclass(frozen=True)
class BrowsingSummary:
    listings: list[LookedAt] = field(default_factory=list)  # longest looked at first
    # Neighbourhood category (as the signal named it) -> on how many listings it was opened.
    categories_expanded: dict[str, int] = field(default_factory=dict)
    favourites: list[LookedAt] = field(default_factory=list)
    comparisons: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.listings or self.categories_expanded or self.favourites)


_COUNTED = {
    "listing_view": "views",
    "photo_opened": "photos",
    "window_view_opened": "window_views",
    "virtual_tour_opened": "virtual_tours",
    "commute_checked": "commute_checks",
}


def browsing_summary(prospect: Prospect, signals: list[BrowsingSignal] | None = None):
    """What ``prospect`` looked at: listings with dwell, photos, views, categories, saves."""
    signals = signals_of(prospect) if signals is None else signals
    per_unit: dict[int, Counter] = {}
    categories: dict[str, set] = {}
    comparisons = 0
    for s in signals:
        if s.kind == "compare_used":
            comparisons += 1
        elif s.kind == "category_expanded" and s.topic:
            categories.setdefault(s.topic, set()).add(s.unit_id or f"signal-{s.id}")
        if s.unit_id is not None and s.kind in _COUNTED:
            counts = per_unit.setdefault(s.unit_id, Counter())
            counts[_COUNTED[s.kind]] += 1
            if s.kind == "listing_view":
                counts["dwell_seconds"] += s.dwell_seconds or 0
    saved = list(
        db.session.scalars(
            sa.select(Favourite.unit_id)
            .where(Favourite.prospect_id == prospect.id)
            .order_by(Favourite.created_at, Favourite.id)
        )
    )
    # Names only (columns, not whole units): the units looked at are often many.
    units = {
        row.id: (home_title(row.bedrooms, row.area_m2, row.floor), row.name)
        for row in db.session.execute(
            sa.select(Unit.id, Unit.bedrooms, Unit.area_m2, Unit.floor, Property.name)
            .join(Unit.property)
            .where(Unit.id.in_(set(per_unit) | set(saved)))
        )
    }

    def looked(unit_id: int) -> LookedAt:
        title, property_name = units[unit_id]
        return LookedAt(
            unit_id,
            title,
            property_name,
            favourite=unit_id in saved,
            **per_unit.get(unit_id, {}),
        )

    listings = sorted(
        (looked(i) for i in per_unit if i in units),
        key=lambda item: (-item.dwell_seconds, -item.views, item.unit_id),
    )
    return BrowsingSummary(
        listings=listings,
        categories_expanded={k: len(v) for k, v in sorted(categories.items())},
        favourites=[looked(i) for i in saved if i in units],
        comparisons=comparisons,
    )
