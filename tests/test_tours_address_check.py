"""Whose address is it? Instant tours for unconfirmed addresses, and what reaches the record.

Anyone can type anyone's email into a booking. The property chooses whether an instant
tour then waits for the emailed link or confirms at once up to the caps; and until the
address is confirmed the booking's channel and answers stay on the tour.
"""

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import ContactPreference, Prospect
from portal.prospects.priorities import current_priorities, record_priorities
from tests.factories import gen_agent, gen_prospect, gen_tour_type, gen_unit
from tests.prospect_session import sign_in
from tests.tours_helpers import (
    booking_data,
    confirm_path_from,
    emails,
    iso,
    local_slot,
    token_from,
    tours,
)

pytestmark = pytest.mark.usefixtures("fixed_clock")


def _listing(unverified_instant: str = "capped", **type_fields):
    unit = gen_unit()
    unit.property.unverified_instant = unverified_instant
    gen_tour_type(unit.property, "guided", horizon_days=30, **type_fields)
    gen_agent(unit.property)
    db.session.commit()
    return unit


def _book(client, unit, n: int = 0, **fields):
    start = local_slot(2 + n // 8, time(9 + n % 8))
    response = client.post(
        f"/tours/book/{unit.id}/details", data=booking_data("guided", start, **fields)
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    return token_from(response.headers["Location"])


def _carol() -> Prospect:
    """Carol has an account: her channel is unset, and quiet matters a little to her."""
    carol = gen_prospect(email="carol@example.com", name="", phone="")
    record_priorities({"importance": {"quiet": "nice"}}, source="prospect", prospect=carol)
    db.session.commit()
    return carol


# --- the property's choice for instant tours -------------------------------------------


def test_link_property_makes_an_unconfirmed_address_confirm_by_email(client, app):
    """On a "link" property an instant tour booked anonymously waits for the emailed link."""
    unit = _listing("link")
    token = _book(client, unit)
    [tour] = tours()
    assert tour.status == "requested"
    assert tour.awaits_visitor
    assert tour.expires_at - tour.created_at <= timedelta(hours=2)
    [request] = emails("tour_requested")
    assert "Please confirm your tour" in request.text_body
    manage = client.get(f"/tours/m/{token}?booked=1").get_data(as_text=True)
    assert "we have emailed pia@example.com a link to confirm your tour" in manage
    assert client.post(confirm_path_from(request)).status_code == 303
    db.session.expire_all()
    assert tours()[0].status == "confirmed"
    assert tours()[0].email_confirmed_at is not None


def test_link_property_confirms_a_signed_in_prospect_at_once(client, app):
    """The signed-in owner of the address needs no link: instant stays instant."""
    unit = _listing("link")
    sign_in(client, "pia@example.com")
    _book(client, unit, email="Pia@Example.com")
    [tour] = tours()
    assert tour.status == "confirmed"
    assert tour.email_confirmed_at is not None
    assert "/confirm/" not in emails("tour_confirmed")[0].text_body


def test_signed_in_as_someone_else_is_still_unconfirmed(client, app):
    """Signed in as Pia but booking with Carol's address: Carol has not confirmed anything."""
    unit = _listing("link")
    sign_in(client, "pia@example.com")
    _book(client, unit, email="carol@example.com")
    assert tours()[0].status == "requested"


def test_capped_property_confirms_at_once_up_to_the_cap_per_email(client, app):
    """ "capped": the first two unconfirmed tours of an address are instant, the third waits."""
    unit = _listing("capped")
    for n in range(3):
        _book(client, unit, n)
    assert [t.status for t in tours()] == ["confirmed", "confirmed", "requested"]
    assert tours()[2].awaits_visitor


def test_capped_property_caps_unconfirmed_instant_tours_per_day(app_factory, app):
    """Past the per-day cap of a tour type, unconfirmed addresses confirm by the link."""
    limited = app_factory(TOUR_UNVERIFIED_INSTANT_PER_DAY=2)
    with limited.app_context():
        unit = _listing("capped")
        client = limited.test_client()
        for n in range(3):
            _book(client, unit, n, email=f"v{n}@example.com")
        _book(client, unit, 8, email="v8@example.com")  # the next day has its own cap
        assert [t.status for t in tours()] == ["confirmed", "confirmed", "requested", "confirmed"]


def test_booking_page_says_how_the_tour_will_be_confirmed(client, app):
    """The details page words the property's choice before the visitor books."""
    linked, capped = _listing("link"), _listing("capped")
    start = iso(local_slot(2))
    page = client.get(f"/tours/book/{linked.id}/details?type=guided&start={start}")
    assert "We email you a link to confirm the tour" in page.get_data(as_text=True)
    page = client.get(f"/tours/book/{capped.id}/details?type=guided&start={start}")
    assert "Your tour is confirmed at once" in page.get_data(as_text=True)
    picker = client.get(f"/tours/book/{linked.id}").get_data(as_text=True)
    assert "You confirm it from your email" in picker
    sign_in(client, "pia@example.com")
    page = client.get(f"/tours/book/{linked.id}/details?type=guided&start={start}")
    assert "signed in with, your tour is confirmed at once" in page.get_data(as_text=True)


def test_api_booking_for_an_unconfirmed_address_comes_back_requested(client, app):
    """The API follows the same rule: status "requested" until the emailed link."""
    unit = _listing("link")
    body = {
        "listing_id": unit.id,
        "type": "guided",
        "start": iso(local_slot(2)),
        "name": "Pia",
        "email": "pia@example.com",
    }
    response = client.post("/api/v1/tours", json=body)
    assert response.status_code == 201
    assert response.json["tour"]["status"] == "requested"


def test_admin_sets_the_choice_on_the_tour_setup_page(client, app, auth):
    """Admins switch a property between "capped" and "link" on its tour setup page."""
    from tests.factories import STAFF_PASSWORD, gen_staff

    unit = _listing("capped")
    admin = gen_staff("admin")
    db.session.commit()
    auth.login(admin.email, STAFF_PASSWORD)
    page = client.get(f"/staff/properties/{unit.property_id}/tours").get_data(as_text=True)
    assert "email address nobody has confirmed" in page
    url = f"/staff/properties/{unit.property_id}/unverified-instant"
    assert client.post(url, data={"unverified_instant": "link"}).status_code == 303
    db.session.expire_all()
    assert unit.property.unverified_instant == "link"
    assert client.post(url, data={"unverified_instant": "always"}).status_code == 422
    db.session.expire_all()
    assert unit.property.unverified_instant == "link"


# --- row 10: someone else's address never speaks for them --------------------------------


def test_booking_with_someone_elses_address_leaves_their_record_alone(client, app):
    """Channel, answers, name and phone stay on the tour; Carol's record is unchanged."""
    carol = _carol()
    unit = _listing("capped")
    token = _book(
        client,
        unit,
        email="Carol@Example.com",
        name="Mallory",
        phone="+358401111111",
        contact_channel="sms",
    )
    client.post(f"/tours/m/{token}/about-you", data={"priorities": ["quiet"], "note": "x"})
    db.session.expire_all()
    assert db.session.get(ContactPreference, carol.id) is None
    assert current_priorities(carol).level("quiet") == "nice"
    assert (carol.name, carol.phone) == ("", "")
    [tour] = tours()
    assert tour.prospect_id == carol.id  # the tour is still hers to see and cancel
    assert (tour.contact_channel, tour.priorities, tour.name) == ("sms", ["quiet"], "Mallory")


def test_api_booking_with_someone_elses_address_leaves_their_record_alone(client, app):
    """The same through the API, answers given with the booking."""
    carol = _carol()
    unit = _listing("capped")
    body = {
        "listing_id": unit.id,
        "type": "guided",
        "start": iso(local_slot(2)),
        "name": "Mallory",
        "email": "carol@example.com",
        "phone": "+358401111111",
        "contact_channel": "phone",
        "priorities": ["quiet"],
    }
    assert client.post("/api/v1/tours", json=body).status_code == 201
    db.session.expire_all()
    assert db.session.get(ContactPreference, carol.id) is None
    assert current_priorities(carol).level("quiet") == "nice"


def test_confirming_from_the_emailed_link_brings_the_booking_over(client, app):
    """Once Carol confirms from her mailbox, the tour's channel and answers are hers."""
    carol = _carol()
    unit = _listing("capped")
    token = _book(
        client,
        unit,
        email="carol@example.com",
        name="Carol",
        phone="+358402222222",
        contact_channel="phone",
    )
    client.post(f"/tours/m/{token}/about-you", data={"priorities": ["quiet"], "note": "Cats"})
    link = confirm_path_from(emails("tour_confirmed")[0])
    assert "Yes, this is my email" in client.get(link).get_data(as_text=True)
    assert client.post(link).status_code == 303
    db.session.expire_all()
    assert db.session.get(ContactPreference, carol.id).channel == "phone"
    answers = current_priorities(carol)
    assert answers.level("quiet") == "important"
    assert "Cats" in answers.notes
    assert carol.name == "Carol"
    assert client.post(link).status_code == 303  # a second press changes nothing
    assert len(db.session.scalars(sa.select(ContactPreference)).all()) == 1


def test_answers_after_confirmation_still_reach_the_priorities(client, app):
    """Confirmed first, answered later: the answers go straight to the priorities."""
    carol = _carol()
    token = _book(client, _listing("capped"), email="carol@example.com")
    client.post(confirm_path_from(emails("tour_confirmed")[0]))
    client.post(f"/tours/m/{token}/about-you", data={"priorities": ["parks"], "note": ""})
    assert current_priorities(carol).level("parks") == "important"


def test_a_forged_confirmation_code_is_refused(client, app):
    """Only the code from the email works; the manage token alone confirms nothing."""
    _carol()
    unit = _listing("capped")
    token = _book(
        client, unit, email="carol@example.com", phone="+358401111111", contact_channel="sms"
    )
    assert client.get(f"/tours/m/{token}/confirm/{'a' * 32}").status_code == 404
    assert client.post(f"/tours/m/{token}/confirm/{'a' * 32}").status_code == 404
    assert client.post(f"/tours/m/{token}/confirm").status_code == 409
    assert "Yes, this is my email" not in client.get(f"/tours/m/{token}").get_data(as_text=True)
    assert tours()[0].email_confirmed_at is None


def test_an_existing_prospects_blanks_are_not_filled_by_an_unconfirmed_booking(client, app):
    """A new record starts with the booking's name; an existing person's blanks wait."""
    carol = _carol()
    unit = _listing("capped")
    _book(client, unit, email="carol@example.com", name="Mallory")
    _book(client, unit, 1, email="newcomer@example.com", name="New Comer")
    db.session.expire_all()
    assert carol.name == ""
    newcomer = db.session.scalar(sa.select(Prospect).filter_by(email="newcomer@example.com"))
    assert newcomer.name == "New Comer"
    assert carol.stage == "lead"  # the tour is booked for her address all the same
