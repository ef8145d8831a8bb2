"""A tour booking and the prospect record: one lead definition, one set of priorities."""

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import BrowsingSignal, ContactPreference, Prospect
from portal.models.base import utcnow
from portal.prospects.my_data import collect_my_data, erase_prospect
from portal.prospects.priorities import current_priorities, record_priorities
from portal.tours.outcomes import record_outcome
from tests.factories import gen_agent, gen_prospect, gen_tour_type, gen_unit
from tests.prospect_session import sign_in
from tests.tours_helpers import (
    booking_data,
    confirm_path_from,
    emails,
    local_slot,
    token_from,
    tours,
)

pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture
def listing(app):
    unit = gen_unit()
    gen_tour_type(unit.property, "guided", horizon_days=30)
    gen_agent(unit.property)
    db.session.commit()
    return unit


def _book(client, listing, **fields):
    start = local_slot(3, time(10))
    response = client.post(
        f"/tours/book/{listing.id}/details", data=booking_data("guided", start, **fields)
    )
    assert response.status_code == 303
    return token_from(response.headers["Location"])


def _prospect(email="pia@example.com") -> Prospect:
    return db.session.scalar(sa.select(Prospect).where(Prospect.email == email))


def test_booking_makes_the_prospect_a_lead(client, listing):
    """Booking a tour is what "lead" means for sales and marketing alike."""
    _book(client, listing)
    prospect = _prospect()
    assert prospect.stage == "lead"
    assert prospect.name == "Pia Prospect"
    [tour] = tours()
    assert tour.prospect_id == prospect.id


def test_booking_with_a_known_email_reuses_the_prospect(client, listing):
    """Someone who signed in before is the same record, not a second prospect."""
    existing = gen_prospect(email="pia@example.com", name="")
    db.session.commit()
    sign_in(client, "pia@example.com")
    _book(client, listing, email="PIA@example.com")
    assert db.session.scalar(sa.select(sa.func.count(Prospect.id))) == 1
    db.session.refresh(existing)
    assert existing.stage == "lead"
    assert existing.name == "Pia Prospect"  # a blank name is filled, never overwritten


def test_booking_records_a_tour_booked_signal(client, listing):
    """The booking is a server-side fact in the prospect's signals."""
    _book(client, listing)
    kinds = list(db.session.scalars(sa.select(BrowsingSignal.kind)))
    assert kinds == ["tour_booked"]


def test_booking_channel_becomes_the_first_contact_preference(client, listing):
    """The channel picked at booking is how we reach them, until they say otherwise."""
    sign_in(client, "pia@example.com")
    _book(client, listing, phone="+358401234567", contact_channel="sms")
    prefs = db.session.get(ContactPreference, _prospect().id)
    assert prefs.channel == "sms"


def test_saved_contact_preference_is_not_overridden_by_a_booking(client, listing):
    """A preference the prospect saved on their account stays theirs."""
    prospect = gen_prospect(email="pia@example.com")
    db.session.add(ContactPreference(prospect_id=prospect.id, channel="email", pace="weekly"))
    db.session.commit()
    _book(client, listing, phone="+358401234567", contact_channel="phone")
    prefs = db.session.get(ContactPreference, prospect.id)
    assert (prefs.channel, prefs.pace) == ("email", "weekly")


def test_what_matters_answers_become_priorities(client, listing):
    """Ticked topics become "important" priorities and the note joins the notes."""
    token = _book(client, listing)
    response = client.post(
        f"/tours/m/{token}/about-you", data={"priorities": ["quiet", "parks"], "note": "A cat"}
    )
    assert response.status_code == 303
    assert client.post(confirm_path_from(emails("tour_confirmed")[0])).status_code == 303
    answers = current_priorities(_prospect())
    assert answers.level("quiet") == "important"
    assert answers.level("parks") == "important"
    assert "A cat" in answers.notes


def test_booking_answers_never_downgrade_a_must_have(client, listing):
    """A topic the prospect called a must-have stays a must-have."""
    prospect = gen_prospect(email="pia@example.com")
    record_priorities({"importance": {"quiet": "must_have"}}, source="prospect", prospect=prospect)
    db.session.commit()
    token = _book(client, listing)
    client.post(f"/tours/m/{token}/about-you", data={"priorities": ["quiet"], "note": ""})
    assert current_priorities(prospect).level("quiet") == "must_have"


def test_unknown_topic_is_refused_and_nothing_changes(client, listing):
    """A forged topic is a field error; the tour and the priorities stay as they were."""
    token = _book(client, listing)
    response = client.post(
        f"/tours/m/{token}/about-you", data={"priorities": ["world-peace"], "note": ""}
    )
    assert response.status_code == 422
    assert current_priorities(_prospect()).is_empty
    assert tours()[0].priorities == []


def test_completed_tour_moves_the_prospect_to_toured(client, listing):
    """Staff marking the tour as done advances the shared lifecycle."""
    _book(client, listing)
    [tour] = tours()
    record_outcome(tour, "completed", now=tour.starts_at + timedelta(minutes=40), actor="agent")
    db.session.commit()
    assert _prospect().stage == "toured"


def test_my_data_lists_the_tours(client, listing):
    """ "My data" includes each tour with the details given at booking."""
    _book(client, listing, phone="+358401234567")
    data = collect_my_data(_prospect())
    [tour] = data["tours"]
    assert tour["email"] == "pia@example.com"
    assert tour["phone"] == "+358401234567"
    assert tour["status"] == "confirmed"


def test_erasure_cancels_upcoming_tours_and_blanks_their_details(client, listing):
    """Deleting the account frees the agent's time and leaves no name on any tour."""
    _book(client, listing)
    prospect = _prospect()
    erase_prospect(prospect, now=utcnow())
    db.session.commit()
    [tour] = tours()
    assert tour.status == "cancelled_by_prospect"
    assert (tour.name, tour.email, tour.phone, tour.priorities_note) == ("", "", "", "")
    assert prospect.email is None
