"""A small constructed history whose funnel figures are known by hand (tests/test_studio_funnel.py).

``now`` is FIXED_NOW (Tuesday 24 November 2026, 07:00 UTC). Two communities open
9:00-17:00 Helsinki time every day (Alpha with agent One, Beta with agent Two):

======  =========  =============================================================
who     source     story
======  =========  =============================================================
p1      google     lead Alpha -60d, toured -58d, applied -50d, leased -40d
p2      google     lead Alpha -31d (cancelled), rebooked -30d, toured -28d 19:00
                   local (after hours), applied -20d; unsubscribed -25d
p3      newsletter lead Beta -20d, no-show -18d, lost
p4      (none)     lead Beta -10d, toured -9d, lost (objections price, noise)
p5      google     lead Alpha -5d, tour in two days
p6      google     lead Alpha -120d (outside the default 90 days)
p7      newsletter lead Alpha -40d toured -39d; lead Beta -35d toured -34d;
                   applied -30d (so at Beta), leased -25d
======  =========  =============================================================
"""

import itertools
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from portal.demo.followups import install_followups
from portal.demo.history_rows import (
    add_capture,
    add_follow_up,
    add_outbox_email,
    add_priorities,
    add_stages,
    add_step,
)
from portal.extensions import db
from portal.models import ContactPreference, Prospect, Tour
from tests.conftest import FIXED_NOW
from tests.factories import gen_agent, gen_property, gen_tour_type

NOW = FIXED_NOW
H = timedelta(hours=1)
D = timedelta(days=1)
_seq = itertools.count(1)


@dataclass
class World:
    now: datetime
    alpha: object = None
    beta: object = None
    one: object = None
    two: object = None
    people: dict = field(default_factory=dict)
    tours: dict = field(default_factory=dict)


def _tour(world, name, who, prop, agent, created, starts, status) -> Tour:
    tour_type = world.types[prop.id]
    tour = Tour(
        token=secrets.token_hex(16),
        uid=f"insights-{next(_seq)}@test",
        property_id=prop.id,
        tour_type_id=tour_type.id,
        agent_id=agent.id if agent else None,
        prospect_id=world.people[who].id,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=30),
        status=status,
        name="Private Name",
        email=world.people[who].email,
        created_at=created,
    )
    db.session.add(tour)
    db.session.flush()
    world.tours[name] = tour
    return tour


def _stages(prospect, *moves) -> None:
    add_stages(prospect, list(moves))


def _priorities(prospect, importance, at) -> None:
    add_priorities(prospect, importance, at, notes="secret note")
    db.session.flush()  # the latest version is the one with the highest id


def build_world(now: datetime = NOW) -> World:
    """The history in the module docstring, flushed."""
    world = World(now=now)
    world.alpha = gen_property(name="Alpha House", slug="alpha-house")
    world.beta = gen_property(name="Beta Court", slug="beta-court")
    world.types = {p.id: gen_tour_type(p) for p in (world.alpha, world.beta)}
    world.one = gen_agent(world.alpha)
    world.one.name = "Agent One"
    world.two = gen_agent(world.beta)
    world.two.name = "Agent Two"
    sources = {
        "p1": "google",
        "p2": "google",
        "p3": "newsletter",
        "p4": None,
        "p5": "google",
        "p6": "google",
        "p7": "newsletter",
    }
    for who, source in sources.items():
        touch = {"utm_source": source, "at": now.isoformat()} if source else None
        prospect = Prospect(
            email=f"{who}.secret@example.com",
            name=f"Secret {who.upper()}",
            phone="+358 40 1234567",
            first_touch=touch,
            last_touch={"utm_source": "retargeting"} if who == "p1" else touch,
        )
        db.session.add(prospect)
        world.people[who] = prospect
    db.session.flush()
    a, b, one, two, p = world.alpha, world.beta, world.one, world.two, world.people

    t1 = _tour(world, "t1", "p1", a, one, now - 60 * D, now - 58 * D, "completed")
    _tour(world, "t2a", "p2", a, one, now - 31 * D, now - 29 * D, "cancelled_by_prospect")
    _tour(world, "t2", "p2", a, one, now - 30 * D, now - 28 * D + 10 * H, "completed")
    t3 = _tour(world, "t3", "p3", b, two, now - 20 * D, now - 18 * D, "no_show")
    t4 = _tour(world, "t4", "p4", b, two, now - 10 * D, now - 9 * D + 3 * H, "completed")
    t5 = _tour(world, "t5", "p5", a, one, now - 5 * D, now + 2 * D, "confirmed")
    _tour(world, "t6", "p6", a, one, now - 120 * D, now - 118 * D, "completed")
    t7a = _tour(world, "t7a", "p7", a, one, now - 40 * D, now - 39 * D, "completed")
    _tour(world, "t7b", "p7", b, two, now - 35 * D, now - 34 * D, "completed")

    _stages(p["p1"], ("lead", now - 60 * D), ("toured", now - 58 * D))
    _stages(p["p1"], ("applied", now - 50 * D), ("leased", now - 40 * D))
    _stages(p["p2"], ("lead", now - 31 * D), ("toured", now - 28 * D), ("applied", now - 20 * D))
    _stages(p["p3"], ("lead", now - 20 * D), ("lost", now - 17 * D))
    _stages(p["p4"], ("lead", now - 10 * D), ("toured", now - 9 * D), ("lost", now - 8 * D))
    _stages(p["p5"], ("lead", now - 5 * D))
    _stages(p["p6"], ("lead", now - 120 * D), ("toured", now - 118 * D))
    _stages(p["p7"], ("lead", now - 40 * D), ("toured", now - 39 * D))
    _stages(p["p7"], ("applied", now - 30 * D), ("leased", now - 25 * D))

    # Responses: staff steps (a system or prospect step is not one) and follow-ups.
    for tour, at, actor in (
        (t1, now - 60 * D + 2 * H, f"staff:{one.id}"),
        (t3, now - 18 * D + H, f"staff:{two.id}"),
        (t5, now - 5 * D + H, "system"),
        (t5, now - 5 * D + 2 * H, "prospect"),
    ):
        add_step(tour, "confirmed", tour.status, at, actor)
    # Follow-ups of the plans: recaps to p1 and p2, the first priority step to p4 (the
    # agent marked their reply), and one to p3 still waiting; a tour notice is no
    # follow-up.
    for prop in (world.alpha, world.beta):
        install_followups(prop)
    add_follow_up(p["p1"], t1, "completed", now - 62 * D)
    add_follow_up(p["p2"], world.tours["t2"], "completed", now - 31 * D + 4 * H)
    add_follow_up(p["p4"], t4, "completed", now - 8 * D, position=2, replied_at=now - 7 * D)
    add_follow_up(p["p3"], t3, "no_show", now - 17 * D, delivered=False)
    add_outbox_email(p["p3"], "tour_booked", now - 20 * D)
    db.session.add(ContactPreference(prospect_id=p["p2"].id, unsubscribed_at=now - 25 * D))

    _priorities(
        p["p1"], {"commute": "must_have", "pets": "important", "parks": "nice"}, now - 61 * D
    )
    _priorities(p["p7"], {"quiet": "must_have"}, now - 41 * D)
    _priorities(p["p7"], {"commute": "important"}, now - 36 * D)  # the latest one counts
    _priorities(p["p3"], {"quiet": "important"}, now - 20 * D)
    _priorities(p["p4"], {"commute": "important"}, now - 10 * D)

    for tour, objections in ((t1, ["price"]), (t4, ["price", "noise"]), (t7a, ["layout"])):
        add_capture(
            tour, objections, lost_reason="Too loud" if tour is t4 else None, notes="private notes"
        )
    db.session.flush()
    return world
