"""The staff API's day and brief: the pages' services and visibility, as data, with a token."""

from datetime import UTC, date, datetime, timedelta

import pytest

from portal.api.serializers import brief_json
from portal.extensions import db
from portal.models.base import utcnow
from portal.prospects.priorities import Priorities, record_priorities
from portal.settings import geo_settings
from portal.staff.api_tokens import issue_token
from portal.tours.brief import tour_brief
from tests.factories import gen_agent, gen_internet, gen_property, gen_staff, gen_unit
from tests.staff_helpers import check_schema, gen_tour

pytestmark = pytest.mark.usefixtures("app", "fixed_clock")
NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 09:00 in Helsinki


def _bearer(staff) -> dict:
    secret = issue_token(staff, "test", now=utcnow()).secret
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def two_properties():
    a = gen_property(name="Alpha House")
    b = gen_property(name="Hudson", time_zone="America/New_York")
    gen_internet(a)
    agent_a, agent_b = gen_agent(a), gen_agent(b)
    db.session.commit()
    return a, b, agent_a, agent_b


def test_day_lists_the_agents_tours_of_today_in_the_propertys_zone(client, two_properties):
    """Default today, each with local and UTC times, what can be done and the brief's URL."""
    a, _, agent_a, agent_b = two_properties
    mine = gen_tour(a, NOW + timedelta(hours=2), agent=agent_a, kind="video")
    gen_tour(a, NOW + timedelta(days=1), agent=agent_a)  # tomorrow
    response = client.get("/api/v1/staff/tours", headers=_bearer(agent_a))
    assert response.status_code == 200
    body = response.get_json()
    (tour,) = body["tours"]
    check_schema("StaffDayTour", tour)
    assert tour["id"] == mine.id
    assert tour["local_start"] == "2026-11-24T11:00:00+02:00"
    assert tour["starts_at"] == "2026-11-24T09:00:00+00:00"
    assert (tour["kind"], tour["can_start_video"], tour["can_check_in"]) == ("video", False, False)
    assert tour["brief_url"].endswith(f"/api/v1/staff/tours/{mine.id}/brief")
    assert body["date"] is None


def test_date_is_the_local_day_in_each_propertys_zone(client, two_properties):
    """23:30 on 24 November in New York is the 24th there, though the 25th in UTC."""
    _, b, _, agent_b = two_properties
    late = gen_tour(b, datetime(2026, 11, 25, 4, 30, tzinfo=UTC), agent=agent_b)
    headers = _bearer(agent_b)
    on_24 = client.get("/api/v1/staff/tours?date=2026-11-24", headers=headers).get_json()
    on_25 = client.get("/api/v1/staff/tours?date=2026-11-25", headers=headers).get_json()
    assert [t["id"] for t in on_24["tours"]] == [late.id]
    assert on_24["date"] == "2026-11-24"
    assert on_25["tours"] == []


@pytest.mark.parametrize("value", ["2026-02-30", "tomorrow", "20261124", "2026-1-5", "٢٠٢٦-١١-٢٤"])
def test_a_bad_date_is_422_naming_the_field(client, two_properties, value):
    _, _, agent_a, _ = two_properties
    response = client.get(
        "/api/v1/staff/tours", query_string={"date": value}, headers=_bearer(agent_a)
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid_date"
    assert list(error["fields"]) == ["date"]


def test_visibility_is_the_pages(client, two_properties):
    """Agents: their properties only; admins: all; marketers: none; no token: 401."""
    a, b, agent_a, agent_b = two_properties
    ta = gen_tour(a, NOW + timedelta(hours=2), agent=agent_a)
    tb = gen_tour(b, NOW + timedelta(hours=12), agent=agent_b)
    day = "/api/v1/staff/tours?date=2026-11-24"

    def ids(staff) -> list[int]:
        return [t["id"] for t in client.get(day, headers=_bearer(staff)).get_json()["tours"]]

    assert ids(agent_a) == [ta.id]
    assert ids(gen_staff("admin")) == [ta.id, tb.id]
    assert ids(gen_staff("marketer")) == []
    assert client.get(day).status_code == 401
    assert (
        client.get(f"/api/v1/staff/tours/{tb.id}/brief", headers=_bearer(agent_a)).status_code
        == 404
    )
    assert client.get(f"/api/v1/staff/tours/{ta.id}/brief").status_code == 401


def test_brief_endpoint_is_the_serialised_brief(client, two_properties):
    """The endpoint answers the very brief the page renders, facts as numbers with units."""
    a, _, agent_a, _ = two_properties
    unit = gen_unit(a, rent_eur=1250, available_from=date(2026, 12, 15))
    tour = gen_tour(
        a, NOW + timedelta(hours=2), agent=agent_a, unit_id=unit.id, priorities=["internet"]
    )
    record_priorities(
        Priorities(importance={"internet": "must_have"}, budget_max=1400),
        source="prospect",
        prospect=tour.prospect,
    )
    db.session.commit()
    response = client.get(f"/api/v1/staff/tours/{tour.id}/brief", headers=_bearer(agent_a))
    assert response.status_code == 200
    body = response.get_json()
    check_schema("StaffTourBrief", body)
    assert body == brief_json(tour_brief(tour, geo_settings())) | {"version": tour.version}
    rent, internet = body["talking_points"]
    assert rent["facts"][0] | {"text": None} == {
        "label": "Rent",
        "value": 1250,
        "unit": "EUR/month",
        "place": None,
        "text": None,
    }
    assert (
        internet["facts"][0]["label"],
        internet["facts"][0]["value"],
        internet["facts"][0]["unit"],
    ) == ("Elisa", 1000, "Mbit/s")
    assert internet["section"] == "Internet"
    assert internet["listing_url"].endswith(f"/listings/{unit.id}#internet-title")
    assert body["booking_topics"] == ["Fast internet"]
    assert body["units"][0]["unit_id"] == unit.id
