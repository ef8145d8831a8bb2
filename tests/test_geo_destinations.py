"""Commute destinations stored for prospects: the same fields as a visitor's session places."""

import pytest

from portal.commute.destinations import (
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
