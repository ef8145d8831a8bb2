"""A visitor's saved places (portal.destinations): session and prospect stores, pages, my data."""

import pytest

from portal.destinations.store import (
    TooManyDestinations,
    add_prospect_destination,
    add_session_destination,
    move_session_destinations_to_prospect,
    prospect_destinations,
    session_destinations,
)
from portal.extensions import db
from portal.geo.commute import Destination
from portal.models import Prospect
from portal.prospects.my_data import erase_prospect
from tests.prospect_session import sign_in

WORK = Destination("Work", "Mannerheimintie 5, 00100 Helsinki", 60.1694, 24.9400, "bike", "08:30")


def _prospect(email="aino@example.com") -> Prospect:
    prospect = Prospect(email=email, name="Aino")
    db.session.add(prospect)
    db.session.flush()
    return prospect


def test_prospect_destinations_round_trip(app):
    """A destination attached to a prospect reads back with every field."""
    prospect = _prospect()
    add_prospect_destination(prospect.id, WORK)
    db.session.commit()
    (stored,) = prospect_destinations(prospect.id)
    assert (stored.label, stored.address, stored.mode, stored.arrive_by) == (
        "Work",
        WORK.address,
        "bike",
        "08:30",
    )
    assert stored.id is not None


def test_each_prospect_sees_only_their_own_destinations(app):
    """Prospects never see another prospect's places."""
    first, second = _prospect("a@example.com"), _prospect("b@example.com")
    add_prospect_destination(first.id, WORK)
    assert prospect_destinations(second.id) == []


def test_a_visitor_s_places_move_to_their_prospect_record(app):
    """When a visitor becomes a prospect, the places in their session are kept."""
    session: dict = {}
    add_session_destination(session, WORK)
    prospect = _prospect()
    assert move_session_destinations_to_prospect(session, prospect.id) == 1
    assert session_destinations(session) == []
    assert prospect_destinations(prospect.id)[0].address == WORK.address


def test_at_most_five_destinations_per_prospect(app):
    """A sixth place is refused with a clear message."""
    prospect = _prospect()
    for _ in range(5):
        add_prospect_destination(prospect.id, WORK)
    with pytest.raises(TooManyDestinations, match="up to 5"):
        add_prospect_destination(prospect.id, WORK)


def test_signed_in_prospect_s_places_are_stored_on_their_record(client, geo_region):
    """A signed-in prospect's place is kept on their record, visible only to them."""
    prospect = sign_in(client, "aino@example.com")
    response = client.post(
        "/commute/", data={"label": "Work", "address": "Mannerheimintie 5", "mode": "walk"}
    )
    assert response.status_code == 303
    assert [d.label for d in prospect_destinations(prospect.id)] == ["Work"]
    other = client.application.test_client()
    sign_in(other, "mikko@example.com")
    assert "0 places saved" in other.get("/commute/").get_data(as_text=True)
    assert client.post("/commute/0/delete").status_code == 303
    assert prospect_destinations(prospect.id) == []


def test_places_are_in_my_data_and_go_with_erasure(client, geo_region):
    """The export lists the prospect's places; erasure deletes them."""
    prospect = sign_in(client, "aino@example.com")
    add_prospect_destination(prospect.id, WORK)
    db.session.commit()
    exported = client.get("/me/data.json").json["commute_destinations"]
    assert exported == [
        {"label": "Work", "address": WORK.address, "mode": "bike", "arrive_by": "08:30"}
    ]
    erase_prospect(prospect)
    db.session.commit()
    assert prospect_destinations(prospect.id) == []


def test_a_visitor_s_places_follow_them_into_their_account(client, geo_region):
    """Places added before signing in are on the account afterwards."""
    client.post("/commute/", data={"label": "Gym", "address": "Mannerheimintie 5", "mode": "walk"})
    prospect = sign_in(client, "aino@example.com")
    assert [d.label for d in prospect_destinations(prospect.id)] == ["Gym"]
    assert "1 place saved" in client.get("/commute/").get_data(as_text=True)
