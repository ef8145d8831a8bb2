"""Rendering: every fact in every follow-up is the listing's current fact; priorities decide.

The consistency test renders every demo snippet for every demo listing and checks each
number and place name against what the public listing API answers for that listing.
"""

import re
from datetime import UTC, datetime

import sqlalchemy as sa

from portal.demo.followups import DEFAULT_SNIPPETS
from portal.extensions import db
from portal.followups.compose import snippet_for
from portal.followups.dispatch import dispatch_due
from portal.followups.placeholders import (
    PLACE_PLACEHOLDER_CATEGORIES,
    MessageSubject,
    collect_facts,
    validate_snippet,
)
from portal.followups.render import fill, render_snippet
from portal.geo.settings import GeoSettings
from portal.listings.services import LISTED_STATUSES
from portal.mail.render import EmailFooter
from portal.models import CommuteDestination, OutboxEmail, Unit
from portal.prospects.priorities import Priorities, record_priorities
from portal.prospects.topics import TOPICS
from portal.templating import money
from tests.factories import gen_prospect
from tests.followups_helpers import complete, context, gen_community, gen_tour, messages_of

FOOTER = EmailFooter(preferences_url="http://portal.test/me/contact")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_URL = re.compile(r"https?://\S+")


def test_unknown_placeholders_are_refused_with_the_valid_list():
    """A typo names itself and lists every valid placeholder."""
    [error] = validate_snippet("Hi {first_name}, {nearest_gorcery} is close")
    assert error.startswith("Unknown placeholder {nearest_gorcery}.")
    assert "{nearest_grocery}" in error
    assert validate_snippet("Hi {first_name}[, you liked {liked}]") == []
    assert validate_snippet("Hi {first_name") != []


def test_rendering_is_deterministic_and_optional_parts_drop_out(app):
    """Same inputs, same output; a bracketed part without its fact is left out."""
    facts = {"first_name": "Pia", "property_name": "Kruunu"}
    one = render_snippet(
        "Hi {first_name}",
        "At {property_name}.[ You liked {liked}.]",
        facts,
        footer=FOOTER,
        property_name="Kruunu",
    )
    two = render_snippet(
        "Hi {first_name}",
        "At {property_name}.[ You liked {liked}.]",
        facts,
        footer=FOOTER,
        property_name="Kruunu",
    )
    assert one == two
    assert one[0].text.startswith("At Kruunu.\n")
    assert one[1] == ()
    assert fill("{liked}", facts).missing == ("liked",)


def _numbers(text: str) -> set[str]:
    return set(_NUMBER.findall(_URL.sub("", text)))


def _expected(api: dict, key: str, commute: dict | None):
    """The value the public listing API (or commute API) gives for a placeholder."""
    hood = api["neighbourhood"] or {}
    best = api["property"]["internet"][0] if api["property"]["internet"] else None
    simple = {
        "unit_rent": money(api["rent_eur"]),
        "unit_number": api["number"],
        "unit_title": api["title"],
        "property_name": api["property"]["name"],
        "property_address": api["property"]["address"],
        "listing_url": api["url"],
        "internet_provider": best and best["provider"],
        "walkability": str(hood.get("walkability")),
        "transit_lines": ", ".join(
            f"{r['mode']} {r['ref']} ({r['minutes']} min)"
            for r in hood.get("transit", {}).get("routes", [])[:5]
        ),
    }
    if key in simple:
        return simple[key]
    for category in PLACE_PLACEHOLDER_CATEGORIES:
        found = hood.get("categories", {}).get(category)
        if key == f"nearest_{category}":
            return found["nearest"][0]["name"]
        if key == f"nearest_{category}_minutes":
            return str(found["nearest"][0]["minutes"])
        if key == f"{category}_within_10_min":
            return str(found["within"]["10"])
    if key in ("commute_minutes", "commute_summary"):
        return (
            str(commute["minutes"])
            if key == "commute_minutes"
            else f"Work: {commute['minutes']} min by walk"
        )
    return None


def test_every_number_and_place_in_every_followup_is_the_listings_current_fact(
    app, client, demo, geo_region
):
    """All demo listings x every topic snippet: facts equal the listing API's, no stray number."""
    settings = GeoSettings.from_mapping(app.config)
    prospect = gen_prospect(name="Pia Virtanen")
    db.session.add(
        CommuteDestination(
            prospect_id=prospect.id,
            label="Work",
            address="Rautatientori",
            lat=60.1710,
            lon=24.9414,
            mode="walk",
        )
    )
    db.session.commit()
    units = db.session.scalars(sa.select(Unit).where(Unit.status.in_(LISTED_STATUSES))).all()
    assert units
    rendered = skipped = 0
    checked_keys = set()
    for unit in units:
        api = client.get(f"/api/v1/listings/{unit.id}").get_json()
        commute = client.get(
            "/api/v1/commute",
            query_string={
                "from": f"{unit.property.lat},{unit.property.lon}",
                "to": "60.171,24.9414",
                "mode": "walk",
            },
        ).get_json()
        for topic in DEFAULT_SNIPPETS:
            snippet = snippet_for(topic, unit.property_id)
            priorities = (
                Priorities(importance={topic: "must_have"}) if topic in TOPICS else Priorities()
            )
            subject = MessageSubject(
                prospect=prospect,
                unit=unit,
                priorities=priorities,
                topic=topic if topic in TOPICS else None,
                links={
                    "listing_url": api["url"],
                    "book_url": f"http://portal.test/tours/book/{unit.id}",
                },
            )
            facts = collect_facts(subject, settings)
            message, missing = render_snippet(
                snippet.subject,
                snippet.body,
                facts,
                footer=FOOTER,
                property_name=unit.property.name,
            )
            if missing:
                skipped += 1
                continue
            rendered += 1
            body = message.text.split("\n--\n")[0]
            allowed = _numbers(snippet.subject + snippet.body)  # the marketer's own words
            for key, value in message.facts:
                expected = _expected(api, key, commute)
                if expected is not None:
                    assert value == expected, (unit.id, topic, key)
                    checked_keys.add(key)
                allowed |= _numbers(value)
            stray = _numbers(body) - allowed
            assert not stray, (unit.id, topic, stray, body)
    assert rendered >= 0.9 * (rendered + skipped)
    assert {
        "unit_rent",
        "internet_provider",
        "nearest_grocery",
        "nearest_grocery_minutes",
        "transit_lines",
    } <= checked_keys


def test_two_prospects_after_the_same_tour_differ_exactly_where_their_priorities_do(app):
    """Same tour, same home: the recap and the shared top priority read the same (but for
    the name); the second message follows each one's own second priority."""
    _, unit, tour_type = gen_community()
    people = []
    for name, second in (("Pia Virtanen", "pets"), ("Ola Nordmann", "parking")):
        prospect = gen_prospect(name=name)
        record_priorities(
            {"importance": {"internet": "must_have", second: "important"}},
            source="prospect",
            prospect=prospect,
        )
        complete(gen_tour(tour_type, prospect, unit=unit))
        people.append(prospect)
    db.session.commit()
    moment = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
    texts = {p.id: [] for p in people}
    for _ in range(3):
        for p in people:
            message = [m for m in messages_of(p) if m.status in ("scheduled",)][0]
            moment = max(moment, message.scheduled_for)
        dispatch_due(moment, context(app))
        for p in people:
            last = [m for m in messages_of(p) if m.outbox_email_id][-1]
            email = db.session.get(OutboxEmail, last.outbox_email_id)
            texts[p.id].append(
                email.text_body.split("\n--\n")[0].replace(p.name.split()[0], "NAME")
            )
    pia, ola = (texts[p.id] for p in people)
    assert pia[0] == ola[0]  # the recap
    assert pia[1] == ola[1]  # both: internet first
    assert pia[2] != ola[2]
    assert "About pets" in pia[2]
    assert "About parking" in ola[2]
