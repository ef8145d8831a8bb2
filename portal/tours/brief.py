"""The tour brief: everything an agent should know before one tour, from stored data only.

``tour_brief`` returns plain dataclasses; the staff page (``staff/views/brief.py``)
renders them and the staff API (``api/views/staff_tours.py``) serialises the very
same objects, so the two never disagree. Facts about the home come from the sources
the public listing page reads (see ``tours.talking_points``), commute minutes from
``listings.services.commutes_to_places`` and the fit from ``prospects.fit``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from portal.destinations.store import prospect_destinations
from portal.extensions import db
from portal.geo.commute import DestinationCommute, commutes_for_homes
from portal.geo.settings import GeoSettings
from portal.listings.neighbourhoods import neighbourhood_facts
from portal.listings.services import commutes_to_places
from portal.mail.outbox import addressed_to
from portal.models import OutboxEmail, Property, Prospect, Tour, TourType, Unit
from portal.prospects.brief import BrowsingSummary, ProspectBrief, browsing_summary, prospect_brief
from portal.prospects.fit.facts import ListingFacts, build_listing_facts, geo_facts_of
from portal.prospects.fit.score import rank_by_fit
from portal.prospects.interests import InferredInterest
from portal.prospects.preferences import preferences_of
from portal.prospects.priorities import Priorities, latest_version, stored_priorities
from portal.prospects.signals import signals_of
from portal.prospects.topics import TOPICS
from portal.tours.talking_points import TalkingPoint, rent_point, talking_point

CHANNEL_RULES = {
    "email": "Prefers email: do not call or text",
    "sms": "Prefers text messages: do not call",
    "phone": "Prefers a phone call",
    "none": "Does not want to be contacted: no calls, texts or emails",
}
PACE_RULES = {
    "any": "Whenever there is news",
    "weekly": "At most one message a week",
    "on_request": "Only when they ask",
}
STAGE_LABELS = {
    "prospect": "Prospect (signed up)",
    "lead": "Lead (booked a tour)",
    "toured": "Toured",
    "applied": "Applied",
    "leased": "Leased",
    "lost": "Lost",
}
TALKING_POINTS_MAX = 8
# What a brief reads of its tour: load it with the tour.
BRIEF_LOADING = (
    joinedload(Tour.property),
    joinedload(Tour.tour_type),
    joinedload(Tour.prospect),
)
UNITS_SHOWN_STATUSES = ("available",)
UNIT_LOADING = joinedload(Unit.property).selectinload(Property.internet_services)


@dataclass(frozen=True)
class Touch:
    source: str  # utm_source, else the referrer's host, else "direct"
    medium: str | None
    campaign: str | None
    referrer: str | None
    at: str | None  # ISO 8601, as recorded


@dataclass(frozen=True)
class PastTour:
    id: int
    starts_at: datetime
    time_zone: str
    property_name: str
    kind: str
    status: str


@dataclass(frozen=True)
class SentMessage:
    subject: str
    kind: str
    status: str
    created_at: datetime
    sent_at: datetime | None


@dataclass(frozen=True)
class ProspectCard:
    id: int
    name: str
    email: str
    phone: str
    channel: str
    channel_rule: str
    pace: str
    pace_rule: str
    unsubscribed: bool
    stage: str
    stage_label: str
    first_touch: Touch | None
    last_touch: Touch | None
    previous_tours: list[PastTour] = field(default_factory=list)
    messages: list[SentMessage] = field(default_factory=list)


@dataclass(frozen=True)
class UnitToShow:
    unit_id: int
    number: str
    title: str
    rent_eur: int
    bedrooms: int
    area_m2: float
    floor: int
    available_from: str  # ISO date
    score: int | None
    reasons: list[str]
    concerns: list[str]
    deal_breakers: list[str]
    toured: bool


@dataclass(frozen=True)
class TourBrief:
    tour_id: int
    kind: str
    status: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    property_id: int
    property_name: str
    property_address: str
    unit_id: int | None
    unit_title: str | None
    video_room_url: str | None
    checked_in_at: datetime | None
    prospect: ProspectCard
    priorities: ProspectBrief
    interests: list[InferredInterest]
    browsing: BrowsingSummary
    commutes: list[DestinationCommute]
    talking_points: list[TalkingPoint]
    units: list[UnitToShow]
    booking_topics: list[str]  # labels of Tour.priorities ("what matters to you")
    booking_note: str


def _touch(raw: dict | None) -> Touch | None:
    if not raw:
        return None
    referrer = raw.get("referrer") or None
    host = urlsplit(referrer).hostname if referrer else None
    return Touch(
        source=raw.get("utm_source") or host or "direct",
        medium=raw.get("utm_medium") or None,
        campaign=raw.get("utm_campaign") or None,
        referrer=referrer,
        at=raw.get("at") or None,
    )


def _prospect_card(tour: Tour, prospect: Prospect) -> ProspectCard:
    prefs = preferences_of(prospect)
    # Columns, not objects: the card names each earlier tour and message, and a message
    # row carries its whole text and HTML body.
    others = db.session.execute(
        sa.select(
            Tour.id,
            Tour.starts_at,
            Property.time_zone,
            Property.name,
            TourType.kind,
            Tour.status,
        )
        .join(Tour.property)
        .join(Tour.tour_type)
        .where(Tour.prospect_id == prospect.id, Tour.id != tour.id, Tour.starts_at < tour.starts_at)
        .order_by(Tour.starts_at)
    )
    address = prospect.email or tour.email
    messages = db.session.execute(
        sa.select(
            OutboxEmail.subject,
            OutboxEmail.kind,
            OutboxEmail.status,
            OutboxEmail.created_at,
            OutboxEmail.sent_at,
        )
        .where(addressed_to(address))
        .order_by(OutboxEmail.created_at, OutboxEmail.id)
    )
    return ProspectCard(
        id=prospect.id,
        name=prospect.display_name or tour.name,
        email=prospect.email or tour.email,
        phone=prospect.phone or tour.phone,
        channel=prefs.channel,
        channel_rule=CHANNEL_RULES[prefs.channel],
        pace=prefs.pace,
        pace_rule=PACE_RULES[prefs.pace],
        unsubscribed=prefs.unsubscribed_at is not None,
        stage=prospect.stage,
        stage_label=STAGE_LABELS.get(prospect.stage, prospect.stage),
        first_touch=_touch(prospect.first_touch),
        last_touch=_touch(prospect.last_touch),
        previous_tours=[PastTour(*row) for row in others],
        messages=[SentMessage(*row) for row in messages],
    )


def _topics_to_talk_about(brief: ProspectBrief, interests: list[InferredInterest]):
    """(topic, importance) for the stated priorities, then the inferred interests."""
    chosen = [(p.topic, p.importance) for p in brief.ranked]
    stated = {t for t, _ in chosen}
    chosen += [
        (i.topic, "inferred") for i in interests if i.topic in TOPICS and i.topic not in stated
    ]
    return chosen[:TALKING_POINTS_MAX]


def _one_building(facts_of: Callable[[Unit], ListingFacts]) -> Callable[[Unit], ListingFacts]:
    """``facts_of`` for units of one building: the geo facts (commute minutes, the
    neighbourhood) are the building's, so they are computed for the first unit only."""
    first: list[ListingFacts] = []

    def of(unit: Unit) -> ListingFacts:
        if not first:
            first.append(facts_of(unit))
            return first[0]
        geo = first[0]
        return build_listing_facts(
            unit,
            commute_minutes=geo.commute_minutes,
            walkability=geo.walkability,
            walk_minutes_to_nearest=geo.walk_minutes_to_nearest,
            places_within_10_min=geo.places_within_10_min,
            transit_access=geo.transit_access,
        )

    return of


def tour_brief(tour: Tour, settings: GeoSettings) -> TourBrief:
    """Build the brief of ``tour`` (reads only; a stale neighbourhood is refreshed by its job)."""
    prospect = tour.prospect
    prop = tour.property
    signals = signals_of(prospect)
    version = latest_version(prospect)
    priorities = prospect_brief(prospect, signals=signals, version=version)
    interests = priorities.interests
    destinations = prospect_destinations(prospect.id)
    # The toured home and the homes to show in one read: the toured one is usually
    # among them. Their facts read the building's internet, never the photos: loading
    # the listing pages' media with them was a quarter of the brief.
    units = db.session.scalars(
        sa.select(Unit)
        .where(
            sa.or_(
                sa.and_(Unit.property_id == prop.id, Unit.status.in_(UNITS_SHOWN_STATUSES)),
                Unit.id == tour.unit_id,
            )
        )
        .options(UNIT_LOADING)
        .order_by(Unit.id)
    ).unique()
    units = list(units)
    unit = next((u for u in units if u.id == tour.unit_id), None)
    available = [u for u in units if u.property_id == prop.id and u.status in UNITS_SHOWN_STATUSES]
    if unit is not None:
        commutes = commutes_to_places([unit], destinations, settings).get(unit.id, [])
    elif destinations:
        home = (prop.lat, prop.lon)
        commutes = commutes_for_homes([home], destinations, settings)[home]
    else:
        commutes = []
    neighbourhood = neighbourhood_facts(prop, settings)
    points = [rent_point(unit, build_listing_facts(unit) if unit else None)]
    points += [
        talking_point(
            topic,
            importance,
            prop=prop,
            unit=unit,
            neighbourhood=neighbourhood,
            commutes=commutes,
        )
        for topic, importance in _topics_to_talk_about(priorities, interests)
    ]
    ranked = rank_by_fit(
        available,
        _one_building(geo_facts_of(destinations, settings)),
        stored_priorities(version) if version else Priorities(),
        interests,
    )
    return TourBrief(
        tour_id=tour.id,
        kind=tour.tour_type.kind,
        status=tour.status,
        starts_at=tour.starts_at,
        ends_at=tour.ends_at,
        time_zone=prop.time_zone,
        property_id=prop.id,
        property_name=prop.name,
        property_address=prop.address,
        unit_id=unit.id if unit else None,
        unit_title=unit.title if unit else None,
        video_room_url=tour.video_room_url,
        checked_in_at=tour.checked_in_at,
        prospect=_prospect_card(tour, prospect),
        priorities=priorities,
        interests=interests,
        browsing=browsing_summary(prospect, signals),
        commutes=commutes,
        talking_points=points,
        units=[
            UnitToShow(
                unit_id=r.item.id,
                number=r.item.number,
                title=r.item.title,
                rent_eur=r.item.rent_eur,
                bedrooms=r.item.bedrooms,
                area_m2=float(r.item.area_m2),
                floor=r.item.floor,
                available_from=r.item.available_from.isoformat(),
                score=r.fit.score,
                reasons=r.fit.reasons,
                concerns=r.fit.concerns,
                deal_breakers=r.fit.deal_breakers,
                toured=r.item.id == tour.unit_id,
            )
            for r in ranked
        ],
        booking_topics=[TOPICS.get(key, key) for key in tour.priorities or []],
        booking_note=tour.priorities_note or "",
    )
