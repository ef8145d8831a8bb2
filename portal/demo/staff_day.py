"""The demo agent's day: tours today and in the next days by demo prospects with a history.

Relative to the day the loader runs and idempotent: each tour has a stable calendar
uid made of that day and its place in ``DAY_PLAN``, so loading twice on one day adds
nothing and loading on a later day adds that day's tours. The prospects (the two of
``demo.prospects`` and three more here) get commute places, browsing and contact
preferences once, through the same services the pages use. Tours hold their time
through ``tours.claims`` like a booking; a plan entry whose time is taken is skipped.
"""

import secrets
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from portal.demo.prospects import DEMO_PROSPECTS
from portal.demo.tours import DEMO_AGENT_EMAIL
from portal.destinations.store import add_prospect_destination
from portal.extensions import db
from portal.geo.commute import Destination
from portal.listings.services import LISTED_STATUSES
from portal.models import (
    BrowsingSignal,
    CommuteDestination,
    ContactPreference,
    Favourite,
    Property,
    Prospect,
    SlotClaim,
    StaffUser,
    Tour,
    TourType,
    Unit,
)
from portal.prospects.lifecycle import advance_lifecycle
from portal.prospects.priorities import Priorities, record_priorities
from portal.prospects.records import find_or_create_prospect
from portal.prospects.signals import record_signal
from portal.tours import claims
from portal.tours.booking import record_status
from portal.tours.free_slots import rules_for
from portal.tours.manage_links import new_token
from portal.tours.slots import grid_cells, occupied

MORE_PROSPECTS = (
    {
        "email": "leila.demo@example.com",
        "name": "Leila Demo",
        "phone": "+358 40 555 0101",
        "stage": "lead",
        "touch": {"utm_source": "instagram", "utm_medium": "social", "utm_campaign": "spring"},
        "priorities": Priorities(
            importance={"parks": "must_have", "groceries": "important", "walkability": "nice"},
            budget_max=1400,
            bedrooms=1,
            notes="Runs every morning; wants a park close by.",
        ),
    },
    {
        "email": "matti.demo@example.com",
        "name": "Matti Demo",
        "phone": "+358 50 555 0102",
        "stage": "lead",
        "touch": {"referrer": "https://www.bing.com/"},
        "priorities": Priorities(
            importance={"commute": "must_have", "parking": "important", "internet": "important"},
            budget_max=2000,
            bedrooms=2,
            commute_max_minutes=30,
        ),
    },
    {
        "email": "emma.demo@example.com",
        "name": "Emma Demo",
        "stage": "prospect",
        "touch": {"utm_source": "newsletter", "utm_medium": "email"},
        "priorities": Priorities(
            importance={"transit": "must_have", "nightlife": "important", "quiet": "nice"},
            budget_max=1300,
            bedrooms=0,
        ),
    },
)
# email -> (channel, pace, [(label, address, lat, lon, mode)]); the places lie inside the
# demo map extract (central Helsinki), so every commute has minutes.
HISTORY = {
    "sara.demo@example.com": (
        "email",
        "weekly",
        [("Work", "Mannerheimintie 5, Helsinki", 60.16893, 24.94117, "bike")],
    ),
    "jonas.demo@example.com": (
        "phone",
        "any",
        [("Office", "Kaivokatu 8, Helsinki", 60.17070, 24.94300, "transit")],
    ),
    "leila.demo@example.com": (
        "sms",
        "any",
        [("Studio", "Yrjönkatu 21, Helsinki", 60.16650, 24.93800, "walk")],
    ),
    "matti.demo@example.com": (
        "email",
        "on_request",
        [
            ("Work", "Aleksanterinkatu 52, Helsinki", 60.16860, 24.94560, "drive"),
            ("Daycare", "Kasarmikatu 21, Helsinki", 60.16480, 24.94830, "walk"),
        ],
    ),
    "emma.demo@example.com": (
        "email",
        "any",
        [("University", "Fabianinkatu 33, Helsinki", 60.17230, 24.95030, "transit")],
    ),
}
# (days from today, local start, tour kind, prospect email, community index, booking answers)
DAY_PLAN = (
    (0, time(9, 30), "guided", "sara.demo@example.com", 0, ["pets", "commute"]),
    (0, time(11, 0), "video", "jonas.demo@example.com", 1, ["internet"]),
    (0, time(13, 0), "self_guided", "emma.demo@example.com", 2, []),
    (0, time(14, 30), "guided", "leila.demo@example.com", 0, ["parks"]),
    (0, time(16, 0), "video", "matti.demo@example.com", 3, ["parking", "commute"]),
    (1, time(10, 0), "guided", "matti.demo@example.com", 3, ["parking"]),
    (1, time(13, 30), "video", "emma.demo@example.com", 2, ["transit"]),
    (2, time(11, 0), "guided", "jonas.demo@example.com", 1, ["quiet"]),
    (3, time(15, 0), "guided", "leila.demo@example.com", 4, []),
)
NOTES = {
    "sara.demo@example.com": "Will bring her cat carrier to check the size of the hallway.",
    "matti.demo@example.com": "Needs a parking space for a van; asks about charging.",
}


def _add_prospect(spec: dict, recorded_at: datetime) -> None:
    if db.session.scalar(sa.select(Prospect.id).where(Prospect.email == spec["email"])):
        return
    prospect = find_or_create_prospect(
        spec["email"], name=spec["name"], phone=spec.get("phone", ""), now=recorded_at
    )
    prospect.first_touch = prospect.last_touch = {**spec["touch"], "at": recorded_at.isoformat()}
    version = record_priorities(spec["priorities"], source="prospect", prospect=prospect)
    version.created_at = recorded_at
    if spec["stage"] != "prospect":
        advance_lifecycle(prospect, spec["stage"], now=recorded_at)


def _add_history(prospect: Prospect, n: int, units: list[Unit], recorded_at: datetime) -> None:
    """Places, contact preferences and browsing, once per prospect."""
    channel, pace, places = HISTORY[prospect.email]
    if db.session.get(ContactPreference, prospect.id) is None:
        db.session.add(ContactPreference(prospect_id=prospect.id, channel=channel, pace=pace))
    if not db.session.scalar(
        sa.select(CommuteDestination.id).where(CommuteDestination.prospect_id == prospect.id)
    ):
        for label, address, lat, lon, mode in places:
            add_prospect_destination(prospect.id, Destination(label, address, lat, lon, mode))
    if db.session.scalar(
        sa.select(BrowsingSignal.id).where(
            BrowsingSignal.prospect_id == prospect.id, BrowsingSignal.kind == "listing_view"
        )
    ):
        return
    looked = units[n % len(units) :] + units[: n % len(units)]
    for k, unit in enumerate(looked[:3]):
        at = recorded_at + timedelta(hours=k)
        record_signal(
            "listing_view", prospect=prospect, unit_id=unit.id, dwell_seconds=240 - 60 * k, now=at
        )
        record_signal("photo_opened", prospect=prospect, unit_id=unit.id, now=at)
        if k == 0:
            record_signal("window_view_opened", prospect=prospect, unit_id=unit.id, now=at)
            record_signal("virtual_tour_opened", prospect=prospect, unit_id=unit.id, now=at)
            record_signal(
                "commute_checked", prospect=prospect, unit_id=unit.id, topic=places[0][0], now=at
            )
    saved = set(
        db.session.scalars(sa.select(Favourite.unit_id).where(Favourite.prospect_id == prospect.id))
    )
    if looked[0].id not in saved:
        db.session.add(Favourite(prospect_id=prospect.id, unit_id=looked[0].id))
    record_signal("compare_used", prospect=prospect, now=recorded_at + timedelta(hours=4))
    db.session.flush()


def _free(agent_id: int, tour: Tour, tour_type: TourType) -> bool:
    cells = grid_cells(occupied(tour.starts_at, rules_for(tour_type)))
    return not db.session.scalar(
        sa.select(SlotClaim.id).where(
            SlotClaim.agent_id == agent_id, SlotClaim.cell_start.in_(cells)
        )
    )


def load_staff_day(today: date) -> int:
    """Add the demo agent's tours of ``today`` and the next days (flushes); returns tours added."""
    agent = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == DEMO_AGENT_EMAIL))
    properties = list(db.session.scalars(sa.select(Property).order_by(Property.id)))
    if agent is None or not properties:
        return 0
    recorded_at = datetime.combine(today, time(8), UTC) - timedelta(days=2)
    for spec in MORE_PROSPECTS:
        _add_prospect(spec, recorded_at)
    units = list(
        db.session.scalars(
            sa.select(Unit).where(Unit.status.in_(LISTED_STATUSES)).order_by(Unit.id)
        )
    )
    emails = [s["email"] for s in DEMO_PROSPECTS] + [s["email"] for s in MORE_PROSPECTS]
    found = db.session.scalars(sa.select(Prospect).where(Prospect.email.in_(emails)))
    prospects = {p.email: p for p in found}
    for n, email in enumerate(emails):
        if email in prospects and email in HISTORY:
            _add_history(prospects[email], n * 5, units, recorded_at)
    added = 0
    for n, (offset, at, kind, email, prop_index, answers) in enumerate(DAY_PLAN):
        prospect = prospects.get(email)
        prop = properties[prop_index % len(properties)]
        tour_type = db.session.scalar(
            sa.select(TourType).where(TourType.property_id == prop.id, TourType.kind == kind)
        )
        uid = f"demo-day-{today.isoformat()}-{n}@doorstep.example"
        if prospect is None or tour_type is None:
            continue
        if db.session.scalar(sa.select(Tour.id).where(Tour.uid == uid)):
            continue
        day = today + timedelta(days=offset)
        starts = datetime.combine(day, at, ZoneInfo(prop.time_zone)).astimezone(UTC)
        unit = db.session.scalar(
            sa.select(Unit)
            .where(Unit.property_id == prop.id, Unit.status == "available")
            .order_by(Unit.rent_eur, Unit.id)
            .limit(1)
        )
        tour = Tour(
            token=new_token(),
            uid=uid,
            property_id=prop.id,
            tour_type=tour_type,
            unit_id=unit.id if unit else None,
            agent_id=agent.id if tour_type.needs_agent else None,
            prospect_id=prospect.id,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=tour_type.duration_minutes),
            email_confirmed_at=recorded_at,
            name=prospect.name,
            email=prospect.email,
            phone=prospect.phone,
            contact_channel="phone" if HISTORY[email][0] == "phone" else "email",
            priorities=answers,
            priorities_note=NOTES.get(email, ""),
        )
        tour.property = prop
        if kind == "video":
            tour.video_room_url = f"https://meet.jit.si/doorstep-demo-{secrets.token_urlsafe(12)}"
        if kind == "self_guided":
            tour.access_code = f"{secrets.randbelow(10**6):06d}"
        if tour_type.needs_agent and not _free(agent.id, tour, tour_type):
            continue
        record_status(tour, "confirmed", "prospect")
        db.session.add(tour)
        db.session.flush()
        claims.hold(tour, rules_for(tour_type), tour.agent_id)
        added += 1
    db.session.flush()
    return added
