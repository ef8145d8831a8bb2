"""Demo follow-ups: default plans for every trigger and snippets for every topic, per community.

Idempotent: a plan is keyed by (community, trigger), a snippet by (topic, community); what
a marketer already edited is left as it is. Snippets use only placeholders the studio
accepts (``validate_snippet``), and lean on the fit check's own sentence (``{fit_line}``)
so every number comes from the listing's facts.
"""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from portal.demo.tours import DEMO_AGENT_EMAIL
from portal.extensions import db
from portal.followups.placeholders import validate_snippet
from portal.models import (
    FollowupPlan,
    FollowupSettings,
    FollowupSnippet,
    FollowupStep,
    Property,
    Prospect,
    StaffUser,
    Tour,
    TourType,
    Unit,
)
from portal.prospects.priorities import record_priorities
from portal.prospects.records import find_or_create_prospect
from portal.tours.booking import record_status
from portal.tours.manage_links import new_token
from portal.tours.outcomes import record_outcome

# trigger -> (plan name, [(content, topic_rank, delay_days, send_at, expires_after_days)])
DEFAULT_PLANS: dict[str, tuple[str, list[tuple]]] = {
    "completed": (
        "After a tour",
        [
            ("recap", None, 1, time(9, 30), 3),
            ("priority", 1, 2, time(10), 7),
            ("priority", 2, 3, time(10), 7),
            ("priority", 3, 3, time(10), 7),
            ("quiet_close", None, 7, time(10), 14),
        ],
    ),
    "no_show": ("Missed tour", [("rebook", None, 0, None, 3)]),
    "cancelled": ("Cancelled tour", [("gentle_offer", None, 1, time(10), 5)]),
    "favourites": (
        "Saved homes, no tour yet",
        [
            ("favourites", None, 0, time(10), 5),
            ("priority", 1, 4, time(10), 7),
            ("quiet_close", None, 10, time(10), 14),
        ],
    ),
}

_CLOSE = "Reply to this email or call us whenever it suits you."

# topic -> (subject, body); every priority topic and every step content.
DEFAULT_SNIPPETS: dict[str, tuple[str, str]] = {
    "recap": (
        "Your tour of {property_name}",
        "Hello {first_name},\n\nThank you for visiting {property_name} on {tour_day}. "
        "We showed you {units_shown}.[ You liked: {liked}.][ We noted your concerns "
        "about {objections}; ask us anything about them.]\n\n"
        "Home {unit_number} ({unit_title}) is {unit_rent} a month and available from "
        "{unit_available_from}: {listing_url}\n\n" + _CLOSE,
    ),
    "rebook": (
        "We missed you at {property_name}",
        "Hello {first_name},\n\nWe are sorry we did not meet today. Home {unit_number} "
        "({unit_title}, {unit_rent} a month) is still available from "
        "{unit_available_from}. Pick another time that suits you: {book_url}",
    ),
    "gentle_offer": (
        "Another time for {property_name}?",
        "Hello {first_name},\n\nYour tour of {property_name} was cancelled. If you would "
        "still like to see home {unit_number} ({unit_title}, {unit_rent} a month), "
        "choose a new time whenever you like: {book_url}\n\nIf your plans changed, "
        "no need to answer: we will not write about it again.",
    ),
    "favourites": (
        "The home you saved at {property_name}",
        "Hello {first_name},\n\nYou saved home {unit_number} at {property_name}: "
        "{unit_title}, {unit_rent} a month, available from {unit_available_from}. "
        "See it in person: {book_url}",
    ),
    "quiet_close": (
        "We'll stop writing about {property_name}",
        "Hello {first_name},\n\nThis is our last message about {property_name}. When you "
        "are ready, the homes are at {listing_url} and we are at {property_address}.\n\n" + _CLOSE,
    ),
    "commute": (
        "Your commute from {property_name}",
        "Hello {first_name},\n\nYou told us a short commute matters. From {property_name}: "
        "{commute_summary}.\n\nHome {unit_number}: {listing_url}",
    ),
    "groceries": (
        "Groceries near {property_name}",
        "Hello {first_name},\n\nGroceries matter to you: {nearest_grocery} is "
        "{nearest_grocery_minutes} min on foot from {property_name}, and "
        "{grocery_within_10_min} grocery shops are within 10 minutes.\n\n{listing_url}",
    ),
    "restaurants": (
        "Cafés and restaurants near {property_name}",
        "Hello {first_name},\n\n{nearest_restaurant} is {nearest_restaurant_minutes} "
        "min on foot[ and {nearest_cafe} {nearest_cafe_minutes} min]; "
        "{restaurant_within_10_min} restaurants are within 10 minutes of {property_name}."
        "\n\n{listing_url}",
    ),
    "nightlife": (
        "Evenings out from {property_name}",
        "Hello {first_name},\n\n{fit_line} of {property_name}[; the nearest is "
        "{nearest_bar}, {nearest_bar_minutes} min on foot].\n\n{listing_url}",
    ),
    "parks": (
        "Green space near {property_name}",
        "Hello {first_name},\n\n{nearest_park} is {nearest_park_minutes} min on foot "
        "from {property_name}.\n\n{listing_url}",
    ),
    "transit": (
        "Getting around from {property_name}",
        "Hello {first_name},\n\nWithin 10 min on foot of {property_name}: "
        "{transit_lines}.\n\n{listing_url}",
    ),
    "walkability": (
        "Walking from {property_name}",
        "Hello {first_name},\n\n{fit_line} at {property_name}.\n\n{listing_url}",
    ),
    "internet": (
        "Internet at {property_name}",
        "Hello {first_name},\n\nFast internet matters to you: at {property_name}, "
        "{internet_provider} offers {internet_speed}.\n\n{listing_url}",
    ),
    "quiet": (
        "A quiet home at {property_name}",
        "Hello {first_name},\n\nA quiet street matters to you: {fit_line} of "
        "{property_name}.\n\n{listing_url}",
    ),
    "parking": (
        "Parking at {property_name}",
        "Hello {first_name},\n\nAbout parking at {property_name}: {fit_line}.\n\n{listing_url}",
    ),
    "pets": (
        "Pets at {property_name}",
        "Hello {first_name},\n\nAbout pets at {property_name}: {fit_line}.\n\n{listing_url}",
    ),
    "laundry": (
        "Laundry at {property_name}",
        "Hello {first_name},\n\nAbout laundry in home {unit_number}: {fit_line}.\n\n{listing_url}",
    ),
    "accessibility": (
        "Access at {property_name}",
        "Hello {first_name},\n\nAbout access to home {unit_number}: {fit_line}.\n\n{listing_url}",
    ),
}
# The first community reviews every message before it goes (to show the agent's queue).
REVIEWED_COMMUNITY_INDEX = 0


def _plan(prop: Property, trigger: str) -> int:
    if db.session.scalar(
        sa.select(FollowupPlan.id).where(
            FollowupPlan.property_id == prop.id, FollowupPlan.trigger == trigger
        )
    ):
        return 0
    name, steps = DEFAULT_PLANS[trigger]
    plan = FollowupPlan(property_id=prop.id, trigger=trigger, name=name)
    for position, (content, rank, delay, send_at, expires) in enumerate(steps, start=1):
        plan.steps.append(
            FollowupStep(
                position=position,
                content=content,
                topic_rank=rank,
                delay_days=delay,
                send_at=send_at,
                channel="preferred",
                expires_after_days=expires,
            )
        )
    db.session.add(plan)
    return 1


def _snippet(topic: str, property_id: int | None) -> int:
    found = db.session.scalar(
        sa.select(FollowupSnippet.id).where(
            FollowupSnippet.topic == topic,
            FollowupSnippet.property_id.is_(None)
            if property_id is None
            else FollowupSnippet.property_id == property_id,
        )
    )
    if found:
        return 0
    subject, body = DEFAULT_SNIPPETS[topic]
    if errors := validate_snippet(subject) + validate_snippet(body):
        raise ValueError(f"demo snippet {topic!r}: {errors}")
    db.session.add(
        FollowupSnippet(topic=topic, property_id=property_id, subject=subject, body=body)
    )
    return 1


def install_followups(prop: Property, send_mode: str = "auto") -> int:
    """The default plans, settings and snippets for one community (what is missing; flushes)."""
    added = 0
    if db.session.get(FollowupSettings, prop.id) is None:
        db.session.add(FollowupSettings(property_id=prop.id, send_mode=send_mode))
        added += 1
    added += sum(_plan(prop, trigger) for trigger in DEFAULT_PLANS)
    added += sum(_snippet(topic, prop.id) for topic in DEFAULT_SNIPPETS)
    db.session.flush()
    return added


def load_demo_followups() -> int:
    """Plans, snippets and settings for every demo community (flushes); returns rows added."""
    added = sum(_snippet(topic, None) for topic in DEFAULT_SNIPPETS)
    props = db.session.scalars(sa.select(Property).order_by(Property.id)).all()
    for index, prop in enumerate(props):
        mode = "review" if index == REVIEWED_COMMUNITY_INDEX else "auto"
        added += install_followups(prop, mode)
    return added


# A demo prospect whose tour yesterday afternoon was completed: the plan runs (the recap is
# due this morning). The agent's tours of today (``portal.demo.staff_day``) show the other
# half: completing one on the staff pages starts its plan.
DEMO_TOURED = {
    "email": "olli.demo@example.com",
    "name": "Olli Demo",
    "priorities": {
        "importance": {"internet": "must_have", "parks": "important", "transit": "nice"}
    },
    "community_index": 1,
    "day": -1,
    "at": time(15),
}
DEMO_TOURS = (DEMO_TOURED,)


def load_demo_followup_tours(today: date) -> int:
    """Add the demo tours of ``DEMO_TOURS`` that are missing (flushes); returns how many."""
    props = db.session.scalars(sa.select(Property).order_by(Property.id)).all()
    agent = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == DEMO_AGENT_EMAIL))
    added = 0
    for spec in DEMO_TOURS:
        index, day, at = spec["community_index"], spec["day"], spec["at"]
        if index >= len(props):
            continue
        if db.session.scalar(sa.select(Prospect.id).where(Prospect.email == spec["email"])):
            continue
        starts = datetime.combine(today + timedelta(days=day), at, ZoneInfo(props[index].time_zone))
        prospect = find_or_create_prospect(
            spec["email"], name=spec["name"], now=starts - timedelta(days=3), confirmed=True
        )
        record_priorities(spec["priorities"], source="prospect", prospect=prospect)
        prop = props[index]
        tour_type = db.session.scalar(
            sa.select(TourType).where(TourType.property_id == prop.id, TourType.kind == "guided")
        )
        unit = db.session.scalar(
            sa.select(Unit)
            .where(Unit.property_id == prop.id, Unit.status == "available")
            .order_by(Unit.rent_eur, Unit.id)
            .limit(1)
        )
        if tour_type is None or unit is None:
            continue
        starts = starts.astimezone(UTC)
        tour = Tour(
            token=new_token(),
            uid=f"{uuid.uuid4().hex}@doorstep",
            property_id=prop.id,
            tour_type=tour_type,
            unit_id=unit.id,
            agent_id=agent.id if agent else None,
            prospect=prospect,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=tour_type.duration_minutes),
            status="confirmed",
            name=prospect.name,
            email=prospect.email,
            email_confirmed_at=starts - timedelta(days=2),
            contact_channel="email",
            created_at=starts - timedelta(days=2),
        )
        db.session.add(tour)
        record_status(tour, "confirmed", "prospect")
        db.session.flush()
        if day < 0:
            record_outcome(tour, "completed", now=tour.ends_at, actor="staff:demo")
        added += 1
    db.session.flush()
    return added
