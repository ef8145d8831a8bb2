"""The tour brief at /staff/tours/<id>: who is coming, what they care about, the listing's facts."""

import html as html_lib
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.api.serializers import brief_json
from portal.destinations.store import add_prospect_destination
from portal.extensions import db
from portal.geo.commute import Destination
from portal.geo.neighbourhood_store import refresh_all_neighbourhoods
from portal.listings.services import LISTED_STATUSES
from portal.models import ContactPreference, Favourite, OutboxEmail, PropertyAgent, StaffUser, Unit
from portal.prospects.priorities import Priorities, record_priorities
from portal.prospects.signals import record_signal
from portal.prospects.topics import TOPICS
from portal.settings import geo_settings
from portal.tours.brief import tour_brief
from tests.factories import (
    STAFF_PASSWORD,
    gen_agent,
    gen_internet,
    gen_property,
    gen_prospect,
    gen_staff,
    gen_unit,
)
from tests.prospect_session import sign_in
from tests.staff_helpers import gen_tour, sign_in_staff

NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
_FACT = re.compile(r'<li data-fact="([^"]*)" data-value="([^"]*)"(?: data-place="([^"]*)")?>')
_POINT = re.compile(r'<div class="talking-point" data-topic="([a-z_]+)">(.*?)</div>', re.S)


def page_facts(page: str) -> dict[str, list[tuple[str, str, str | None]]]:
    """The brief page's talking points: topic -> [(label, value, place)] as rendered."""
    found = {}
    for topic, body in _POINT.findall(page):
        found[topic] = [
            (html_lib.unescape(label), html_lib.unescape(value), html_lib.unescape(place) or None)
            for label, value, place in _FACT.findall(body)
        ]
    return found


def json_facts(data: dict) -> dict[str, list[tuple[str, str, str | None]]]:
    """The same from the API serialiser, values as the page writes them."""
    return {
        p["topic"]: [(f["label"], str(f["value"]), f["place"]) for f in p["facts"]]
        for p in data["talking_points"]
    }


@pytest.fixture
def sara(app):
    """A prospect with stated priorities, browsing, a saved home and an email preference."""
    prop = gen_property(name="Alpha House", amenities=["Sauna", "Pets welcome"])
    gen_internet(prop, provider="Elisa", max_down_mbps=1000, max_up_mbps=500)
    unit, other = gen_unit(prop, rent_eur=1350), gen_unit(prop, rent_eur=1900, bedrooms=2)
    agent = gen_agent(prop)
    prospect = gen_prospect(name="Sara Brief", first_touch={"utm_source": "newsletter"})
    db.session.add(ContactPreference(prospect_id=prospect.id, channel="email", pace="weekly"))
    record_priorities(
        Priorities(importance={"pets": "must_have", "internet": "important"}, budget_max=1500),
        source="prospect",
        prospect=prospect,
    )
    record_signal("listing_view", prospect=prospect, unit_id=unit.id, dwell_seconds=300)
    record_signal("photo_opened", prospect=prospect, unit_id=unit.id)
    record_signal("window_view_opened", prospect=prospect, unit_id=unit.id)
    record_signal("category_expanded", prospect=prospect, unit_id=unit.id, topic="parks")
    record_signal("compare_used", prospect=prospect)
    db.session.add(Favourite(prospect_id=prospect.id, unit_id=other.id))
    db.session.add(
        OutboxEmail(
            kind="tour_confirmed",
            to_address=prospect.email,
            subject="Your tour is confirmed",
            text_body="See you",
        )
    )
    tour = gen_tour(
        prop,
        NOW + timedelta(hours=3),
        agent=agent,
        prospect=prospect,
        unit_id=unit.id,
        priorities=["pets"],
        priorities_note="Is the hallway wide enough for a cat tree?",
    )
    db.session.commit()
    return tour, agent


def test_brief_page_tells_who_is_coming_and_what_they_care_about(client, auth, sara):
    """Contact rule in plain words, ranked priorities, interests, browsing, booking answers."""
    tour, agent = sara
    sign_in_staff(auth, agent)
    response = client.get(f"/staff/tours/{tour.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for expected in (
        "Prefers email: do not call or text",
        "At most one message a week",
        "Prospect (signed up)",
        "newsletter",
        "Pets allowed</strong>: Must have",
        "Fast internet</strong>: Important",
        "Parks &amp; outdoors</strong>: opened the parks list on 1 listing",
        "5.0 min on the page",
        "Compared homes 1 time",
        "Your tour is confirmed",
        "Is the hallway wide enough for a cat tree?",
        "Cares about: Pets allowed",
    ):
        assert expected in page, expected
    facts = page_facts(page)
    assert facts["rent"][0] == ("Rent", "1350", None)
    assert ("Amenity", "Pets welcome", None) in facts["pets"]
    assert facts["internet"] == [("Elisa", "1000", "Fibre")]


def test_units_to_show_are_ranked_by_fit_with_reasons(sara):
    """The cheaper home within budget comes first, with the fit's reasons; the booked one marked."""
    tour, _ = sara
    brief = tour_brief(tour, geo_settings())
    first, second = brief.units
    assert (first.rent_eur, first.toured) == (1350, True)
    assert any("within your" in r for r in first.reasons)
    assert second.deal_breakers  # over the 1,500 budget


def test_api_serialiser_carries_the_page_facts_as_numbers(client, auth, sara):
    """The brief as data: the same facts as the page, numbers with units, names as names."""
    tour, agent = sara
    data = brief_json(tour_brief(tour, geo_settings()))
    sign_in_staff(auth, agent)
    assert page_facts(client.get(f"/staff/tours/{tour.id}").get_data(as_text=True)) == json_facts(
        data
    )
    rent = data["talking_points"][0]["facts"][0]
    assert (rent["value"], rent["unit"]) == (1350, "EUR/month")
    assert data["talking_points"][0]["section"] == "The home"
    assert data["prospect"]["channel"] == "email"
    assert data["browsing"]["listings"][0]["dwell_seconds"] == 300


def test_another_propertys_tour_is_404(client, auth, sara):
    """An agent of property B gets 404 for property A's brief: no hint that it exists."""
    tour, _ = sara
    other = gen_agent(gen_property())
    sign_in_staff(auth, other)
    assert client.get(f"/staff/tours/{tour.id}").status_code == 404
    assert client.get("/staff/tours/999999").status_code == 404


def test_marketers_cannot_open_a_brief(client, auth, sara):
    """A brief is personal data: marketers are refused."""
    tour, _ = sara
    sign_in_staff(auth, gen_staff("marketer"))
    assert client.get(f"/staff/tours/{tour.id}").status_code == 403


def test_brief_has_a_print_stylesheet(client, auth, sara):
    """The page links a print stylesheet that hides navigation and fits A4."""
    tour, agent = sara
    sign_in_staff(auth, agent)
    page = client.get(f"/staff/tours/{tour.id}").get_data(as_text=True)
    assert 'href="/static/css/staff-print.css" media="print"' in page
    css = (Path(__file__).parents[1] / "portal/static/css/staff-print.css").read_text()
    assert "@page" in css
    assert "size: A4" in css
    assert ".site-header" in css
    assert "display: none" in css


_COMMUTE_ROW = re.compile(r'<th scope="row">([^<]+)<br>.*?<td class="preferred">([^<]+)</td>', re.S)


def _listing_place_facts(neighbourhood: dict, topic: str) -> list[tuple[str, str, str | None]]:
    from portal.prospects.topics import PLACE_CATEGORIES

    expected = []
    for category, (answers, _) in PLACE_CATEGORIES.items():
        cat = neighbourhood["categories"].get(category)
        if answers != topic or cat is None:
            continue
        expected += [(cat["label"], str(p["minutes"]), p["name"]) for p in cat["nearest"][:3]]
        expected.append((f"{cat['label']} within 10 min", str(cat["within"]["10"]), None))
    return expected


def test_brief_facts_equal_the_public_listing_for_every_demo_listing(client, demo, geo_region):
    """For each demo listing, the brief (page and API) shows the listing page's and API's facts."""
    refresh_all_neighbourhoods(geo_settings())
    db.session.commit()
    topics = ("groceries", "restaurants", "parks", "transit", "walkability", "internet")
    prospect = sign_in(client, "facts.check@example.com")
    record_priorities(
        Priorities(importance={"commute": "must_have", **dict.fromkeys(topics, "important")}),
        source="prospect",
        prospect=prospect,
    )
    add_prospect_destination(
        prospect.id, Destination("Work", "Mannerheimintie 5", 60.16893, 24.94117, "bike")
    )
    agent = db.session.scalar(sa.select(StaffUser).where(StaffUser.role == "agent"))
    agent.set_password(STAFF_PASSWORD)
    units = list(db.session.scalars(sa.select(Unit).where(Unit.status.in_(LISTED_STATUSES))))
    db.session.commit()
    staff_client = client.application.test_client()
    from tests.conftest import StaffAuth

    sign_in_staff(StaffAuth(staff_client), agent)
    checked = 0
    for n, unit in enumerate(units):
        member = db.session.scalar(
            sa.select(PropertyAgent.id).where(
                PropertyAgent.property_id == unit.property_id, PropertyAgent.staff_id == agent.id
            )
        )
        assert member, "the demo agent belongs to every demo community"
        tour = gen_tour(
            unit.property,
            NOW + timedelta(days=1, minutes=30 * n),
            agent=agent,
            prospect=prospect,
            unit_id=unit.id,
        )
        db.session.commit()
        listing = client.get(f"/api/v1/listings/{unit.id}").get_json()
        listing_page = client.get(f"/listings/{unit.id}").get_data(as_text=True)
        data = brief_json(tour_brief(tour, geo_settings()))
        page = page_facts(staff_client.get(f"/staff/tours/{tour.id}").get_data(as_text=True))
        assert page == json_facts(data)
        facts = json_facts(data)
        assert facts["rent"] == [
            ("Rent", str(listing["rent_eur"]), None),
            ("Available from", listing["available_from"], None),
        ]
        assert [(f[0], f[1]) for f in facts["internet"]] == [
            (s["provider"], str(s["max_down_mbps"])) for s in listing["property"]["internet"]
        ]
        for _, _, technology in facts["internet"]:
            assert f"<td>{technology}</td>" in listing_page
        hood = listing["neighbourhood"]
        assert facts["walkability"] == [("Walkability", str(hood["walkability"]["score"]), None)]
        transit = facts["transit"]
        assert transit[0] == ("Transit access", str(hood["transit"]["score"]), None)
        lines = {}
        for r in hood["transit"]["routes"]:  # the page names each line once
            if r["ref"]:
                lines.setdefault((r["mode"], r["ref"]), str(r["minutes"]))
        assert [(f[1], f[2]) for f in transit if f[0].endswith(" line")] == [
            (minutes, ref) for (_, ref), minutes in lines.items()
        ]
        for _, ref in lines:
            assert ref in listing_page
        for topic in ("groceries", "restaurants", "parks"):
            assert facts[topic] == _listing_place_facts(hood, topic), topic
        (row,) = _COMMUTE_ROW.findall(listing_page)
        (commute,) = data["talking_points"][1]["facts"]
        assert (row[0].strip(), row[1].strip()) == (commute["place"], f"{commute['value']} min")
        checked += 1
    assert checked == len(units) >= 40
    assert {t for t in TOPICS if t in facts} >= {"commute", *topics}
