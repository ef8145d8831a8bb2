"""A deterministic sales history for the demo, so the funnel insights tell a story.

Six months of prospects up to the day the demo loads: where they came from (campaign
sources), their tours (guided, self-guided, video; some after hours, some missed),
what the agent recorded, applications, leases and losses, staff responses and
the follow-up plans' first messages. The same seed gives the same history on every machine, shifted
to the day it runs; the story in it: listing sites and the newsletter convert best,
Instagram brings many leads who rarely lease, price and parking lose prospects,
and self-guided tours are where the after-hours demand is.

Idempotent: history prospects are keyed by their ``history-NNNN@example.com``
address; when the first one exists nothing is added. Everything only flushes.
"""

import random
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from portal.demo.history_rows import (
    add_capture,
    add_follow_up,
    add_priorities,
    add_stages,
    add_step,
)
from portal.extensions import db
from portal.models import ContactPreference, Property, Prospect, StaffUser, Tour, TourType

HISTORY_PROSPECTS = 360
HISTORY_DAYS = 180
SEED = 20261201
# (source, share of leads, chance an attended tour leads to an application)
SOURCES = (
    ("google", 0.30, 0.35),
    ("instagram", 0.22, 0.12),
    ("newsletter", 0.14, 0.50),
    ("vuokraovi", 0.16, 0.45),
    (None, 0.18, 0.30),
)
KINDS = (("guided", 0.55), ("self_guided", 0.30), ("video", 0.15))
WON_TOPICS = ("transit", "internet", "walkability", "groceries", "quiet", "commute")
LOST_TOPICS = ("parking", "pets", "commute", "laundry", "nightlife")
WON_OBJECTIONS = ("layout", "light_view", "move_in_date", "amenities")
LOST_OBJECTIONS = ("price", "price", "parking", "size", "noise", "commute")
LOST_REASONS = ("Chose another building", "Over budget", "No parking", "Moved elsewhere")


def _email(n: int) -> str:
    return f"history-{n:04d}@example.com"


def _pick(rng: random.Random, weighted) -> object:
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


def load_demo_history(today: date, *, prospects: int = HISTORY_PROSPECTS) -> int:
    """Add the demo history if it is missing (flushes). Returns how many prospects it added.

    :param prospects: how many history prospects (tests load a smaller history).
    """
    if prospects <= 0 or db.session.scalar(
        sa.select(Prospect.id).where(Prospect.email == _email(1))
    ):
        return 0
    properties = list(db.session.scalars(sa.select(Property).order_by(Property.id)))
    types = {
        (t.property_id, t.kind): t
        for t in db.session.scalars(sa.select(TourType).where(TourType.active.is_(True)))
    }
    agents = list(
        db.session.scalars(
            sa.select(StaffUser.id)
            .where(StaffUser.role.in_(("agent", "admin")))
            .order_by(StaffUser.id)
        )
    )
    if not properties or not types:
        return 0
    rng = random.Random(SEED)
    now = datetime.combine(today, time(6), UTC)
    # Three passes with one flush each (prospects, tours, the rest): a flush per row
    # would make the demo, which the tests load often, seconds slower.
    leads = [_prospect(rng, n, now) for n in range(1, prospects + 1)]
    db.session.flush()
    tours = [_tour(rng, n, lead, now, properties, types, agents) for n, lead in enumerate(leads, 1)]
    db.session.flush()
    for lead, tour in zip(leads, tours, strict=True):
        _aftermath(rng, lead, tour, now)
    db.session.flush()
    return prospects


def _prospect(rng, n: int, now: datetime) -> dict:
    source = _pick(rng, [(s[0], s[1]) for s in SOURCES])
    # At least ten days ago: every history tour (1-6 days after its lead) is over and
    # older than the agents' "recent" list, and none holds an agent's future time.
    lead_at = now - timedelta(days=rng.uniform(10, HISTORY_DAYS))
    touch = {"utm_source": source, "utm_medium": "demo", "at": lead_at.isoformat()}
    touch = touch if source else None
    retargeted = {"utm_source": "retargeting", "at": lead_at.isoformat()}
    prospect = Prospect(
        email=_email(n),
        name=f"History Prospect {n}",
        created_at=lead_at - timedelta(hours=rng.uniform(0, 48)),
        first_touch=touch,
        last_touch=touch if rng.random() < 0.8 else retargeted,
    )
    db.session.add(prospect)
    apply_chance = next(s[2] for s in SOURCES if s[0] == source)
    return {"prospect": prospect, "apply_chance": apply_chance, "lead_at": lead_at}


def _tour(rng, n: int, lead: dict, now, properties, types, agents) -> Tour | None:
    prospect, lead_at = lead["prospect"], lead["lead_at"]
    prop = rng.choice(properties)
    kind = _pick(rng, KINDS)
    tour_type = types.get((prop.id, kind)) or types.get((prop.id, "guided"))
    if tour_type is None:
        return None
    starts = _tour_start(rng, lead_at, tour_type.kind)
    agent_id = rng.choice(agents) if tour_type.needs_agent and agents else None
    tour = Tour(
        token=f"{rng.getrandbits(128):032x}",
        uid=f"history-{n}@doorstep.example",
        property_id=prop.id,
        tour_type_id=tour_type.id,
        agent_id=agent_id,
        prospect_id=prospect.id,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=tour_type.duration_minutes),
        status=_tour_status(rng, tour_type.kind, starts, now),
        name=prospect.name,
        email=prospect.email,
        email_confirmed_at=lead_at,
        created_at=lead_at,
    )
    db.session.add(tour)
    return tour


def _aftermath(rng, lead: dict, tour: Tour | None, now: datetime) -> None:
    """What followed the booking: staff steps, capture, stages, follow-ups, priorities."""
    prospect, lead_at = lead["prospect"], lead["lead_at"]
    stages = [("lead", lead_at)]
    outcome = None
    if tour is not None:
        agent_id, status, starts = tour.agent_id, tour.status, tour.starts_at
        if agent_id is not None:
            response_at = lead_at + timedelta(hours=rng.choice((0.3, 0.7, 1.5, 3, 6, 20, 30)))
            add_step(tour, "requested", "confirmed", min(response_at, starts), f"staff:{agent_id}")
        if status in ("completed", "no_show") and agent_id is not None:
            add_step(tour, "confirmed", status, tour.ends_at, f"staff:{agent_id}")
        if status == "completed":
            stages.append(("toured", tour.ends_at))
            outcome = _outcome(rng, lead["apply_chance"], tour.ends_at, stages)
            _capture(rng, tour, agent_id, outcome)
            if rng.random() < 0.7:
                _follow_up(prospect, tour, "completed", tour.ends_at + timedelta(days=1), now)
        elif status in ("no_show", "cancelled_by_prospect") and rng.random() < 0.6:
            trigger = "no_show" if status == "no_show" else "cancelled"
            _follow_up(prospect, tour, trigger, starts + timedelta(days=1), now)
            if rng.random() < 0.5:
                stages.append(("lost", starts + timedelta(days=rng.uniform(5, 20))))
    _priorities(rng, prospect, outcome, lead_at)
    if rng.random() < 0.05:
        db.session.add(
            ContactPreference(prospect_id=prospect.id, unsubscribed_at=lead_at + timedelta(days=9))
        )
    _record_stages(prospect, [(s, at) for s, at in stages if at <= now], rng)


def _tour_start(rng, lead_at: datetime, kind: str) -> datetime:
    day = (lead_at + timedelta(days=rng.randint(1, 6))).date()
    after_hours = rng.random() < (0.35 if kind == "self_guided" else 0.06)
    local = (
        time(rng.choice((18, 19, 20)), 30)
        if after_hours
        else time(rng.randint(9, 16), rng.choice((0, 30)))
    )
    # Helsinki wall clock, near enough for a demo: UTC+2 in winter, +3 in summer.
    offset = 3 if 4 <= day.month <= 10 else 2
    return datetime.combine(day, local, UTC) - timedelta(hours=offset)


def _tour_status(rng, kind: str, starts: datetime, now: datetime) -> str:
    roll = rng.random()
    if roll < 0.08:
        return "cancelled_by_prospect"
    if starts >= now:
        return "confirmed"
    missed = {"guided": 0.10, "video": 0.12, "self_guided": 0.22}[kind]
    return "no_show" if roll < 0.08 + missed else "completed"


def _outcome(rng, apply_chance, toured_at, stages) -> str | None:
    """Applied → leased, or lost; appends the dated stages. Returns leased/lost/None."""
    if rng.random() < apply_chance:
        applied_at = toured_at + timedelta(days=rng.uniform(1, 10))
        stages.append(("applied", applied_at))
        if rng.random() < 0.65:
            stages.append(("leased", applied_at + timedelta(days=rng.uniform(3, 14))))
            return "leased"
    if rng.random() < 0.55:
        stages.append(("lost", stages[-1][1] + timedelta(days=rng.uniform(2, 25))))
        return "lost"
    return None


def _capture(rng, tour: Tour, agent_id: int | None, outcome: str | None) -> None:
    pool = LOST_OBJECTIONS if outcome == "lost" else WON_OBJECTIONS
    objections = sorted(set(rng.sample(pool, rng.randint(0, 2))))
    add_capture(
        tour,
        objections,
        interest=2 if outcome == "lost" else rng.randint(3, 5),
        lost_reason=rng.choice(LOST_REASONS) if outcome == "lost" else None,
        staff_id=agent_id,
    )


def _priorities(rng, prospect: Prospect, outcome: str | None, at: datetime) -> None:
    pool = LOST_TOPICS if outcome == "lost" else WON_TOPICS
    topics = rng.sample(pool, 2) + rng.sample(WON_TOPICS + LOST_TOPICS, 1)
    add_priorities(prospect, {t: rng.choice(("important", "must_have")) for t in topics}, at)


def _follow_up(prospect: Prospect, tour: Tour, trigger: str, at: datetime, now) -> None:
    """The first message of the community's plan for what happened, sent by email."""
    if at <= now:
        add_follow_up(prospect, tour, trigger, at)


def _record_stages(prospect: Prospect, stages: list, rng) -> None:
    add_stages(prospect, stages)
    if prospect.stage == "lost":
        prospect.lost_reason = rng.choice(LOST_REASONS)
