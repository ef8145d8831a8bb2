""" "My data": the page and export hold everything; delete erases the personal part."""

import json

import sqlalchemy as sa

from portal.extensions import db
from portal.models import (
    BrowsingSignal,
    ContactPreference,
    Favourite,
    MagicLink,
    OutboxEmail,
    PriorityVersion,
    Prospect,
    Tour,
)
from portal.prospects.lifecycle import stage_counts
from tests.factories import gen_agent, gen_tour_type, gen_unit
from tests.prospect_session import give_consent, sign_in
from tests.tours_helpers import booking_data, local_slot


def _a_full_account(client):
    """A prospect with priorities, a favourite, signals, preferences and an email."""
    unit = gen_unit()
    db.session.commit()
    give_consent(client)
    client.get("/?utm_source=newsletter&utm_campaign=winter")
    client.post("/me/sign-in", data={"email": "pia@example.com"})
    prospect = sign_in(client, "pia@example.com")
    prospect.name, prospect.phone = "Pia Virtanen", "+358 40 123 4567"
    db.session.commit()
    client.post(
        "/me/priorities", data={"importance_pets": "must_have", "notes": "A cat named Kaapo"}
    )
    client.post(f"/me/saved/{unit.id}")
    client.post(
        "/me/signals", data={"kind": "commute_checked", "topic": "Mum's place", "unit_id": unit.id}
    )
    client.post("/me/contact", data={"channel": "email", "pace": "weekly"})
    return prospect, unit


def test_export_contains_everything_recorded(client):
    """The JSON export has the profile, priorities with history, interests, signals,
    favourites, preferences and messages."""
    prospect, unit = _a_full_account(client)
    response = client.get("/me/data.json")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["profile"]["email"] == "pia@example.com"
    assert data["profile"]["phone"] == "+358 40 123 4567"
    assert data["profile"]["first_touch"]["utm_source"] == "newsletter"
    assert data["priorities"][-1]["answers"]["notes"] == "A cat named Kaapo"
    assert data["priorities"][-1]["source"] == "prospect"
    assert data["favourites"] == [{"listing_id": unit.id, "title": unit.title}]
    kinds = {s["kind"] for s in data["browsing_signals"]}
    assert {"favourite_added", "commute_checked"} <= kinds
    assert data["inferred_interests"][0]["topic"] == "commute"
    assert data["contact_preferences"]["pace"] == "weekly"
    assert data["messages"][0]["subject"] == "Your Doorstep sign-in link"
    assert data["messages"][0]["text"] is None  # a live credential is never exported


def test_my_data_page_lists_everything(client):
    """The page shows priorities with their history, interests with evidence, and messages."""
    _a_full_account(client)
    page = client.get("/me/data").get_data(as_text=True)
    assert "pia@example.com" in page
    assert "Pets allowed: not answered → Must have" in page
    assert "checked the commute on 1 listing" in page
    assert "Your Doorstep sign-in link" in page
    assert "utm_source: newsletter" in page


def test_delete_erases_personal_data_and_keeps_anonymous_counts(client):
    """After delete: no email, name, phone, priorities, favourites, preferences, links or
    messages; the anonymous row and signals still count."""
    prospect, _ = _a_full_account(client)
    prospect_id = prospect.id
    assert client.post("/me/delete", data={}).status_code == 400  # box not ticked
    response = client.post("/me/delete", data={"confirm": "yes"})
    assert response.status_code == 303
    db.session.expire_all()
    erased = db.session.get(Prospect, prospect_id)
    assert (erased.email, erased.name, erased.phone) == (None, "", "")
    assert erased.erased_at is not None
    assert erased.first_touch["utm_source"] == "newsletter"  # campaign counts survive
    for model in (PriorityVersion, Favourite):
        assert (
            db.session.scalar(sa.select(sa.func.count()).where(model.prospect_id == prospect_id))
            == 0
        )
    assert db.session.get(ContactPreference, prospect_id) is None
    assert db.session.scalar(sa.select(sa.func.count(MagicLink.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(OutboxEmail.id))) == 0
    signals = db.session.scalars(
        sa.select(BrowsingSignal).where(BrowsingSignal.prospect_id == prospect_id)
    ).all()
    assert signals
    assert all(s.topic is None for s in signals)  # "Mum's place" is personal
    assert stage_counts()["prospect"] == 1
    assert client.get("/me/").status_code == 302  # signed out


def test_the_same_email_can_start_afresh_after_delete(client):
    """Deleting frees the address: signing in again creates a new, empty account."""
    prospect, _ = _a_full_account(client)
    old_id = prospect.id
    client.post("/me/delete", data={"confirm": "yes"})
    again = sign_in(client, "pia@example.com")
    assert again.id != old_id
    assert json.loads(client.get("/me/data.json").data)["priorities"] == []


def _carol_books_in_mixed_case(client):
    """Carol@Example.com books a tour (mail goes to that spelling); she signs in lower case."""
    unit = gen_unit()
    gen_tour_type(unit.property, "guided")
    gen_agent(unit.property)
    db.session.commit()
    data = booking_data("guided", local_slot(3), email="Carol@Example.com", name="Carol")
    assert client.post(f"/tours/book/{unit.id}/details", data=data).status_code == 303
    client.post("/me/sign-in", data={"email": "carol@example.com"})
    return sign_in(client, "carol@example.com")


def test_export_lists_mail_sent_to_any_spelling_of_the_address(client, fixed_clock):
    """The tour confirmation to Carol@Example.com is in carol@example.com's export."""
    _carol_books_in_mixed_case(client)
    data = json.loads(client.get("/me/data.json").data)
    kinds = [m["kind"] for m in data["messages"]]
    assert "tour_confirmed" in kinds
    assert "prospect_sign_in" in kinds
    [tour] = data["tours"]
    assert tour["email"] == "Carol@Example.com"  # what she typed, kept for display


def test_erasure_scrubs_mail_sent_to_any_spelling_of_the_address(client, fixed_clock):
    """Deleting carol@example.com's data leaves no message to Carol@Example.com."""
    _carol_books_in_mixed_case(client)
    assert client.post("/me/delete", data={"confirm": "yes"}).status_code == 303
    addresses = db.session.scalars(sa.select(OutboxEmail.to_address)).all()
    assert [a for a in addresses if a.lower() == "carol@example.com"] == []
    assert db.session.scalar(sa.select(sa.func.count(OutboxEmail.id))) == 0


def test_a_tour_keeps_the_address_as_typed_and_its_normalised_form(client, fixed_clock):
    """Display uses what was typed; limits, export and erasure use the normalised form."""
    _carol_books_in_mixed_case(client)
    tour = db.session.scalar(sa.select(Tour))
    assert (tour.email, tour.email_normalised) == ("Carol@Example.com", "carol@example.com")
    mail = db.session.scalar(sa.select(OutboxEmail).where(OutboxEmail.kind == "tour_confirmed"))
    assert (mail.to_address, mail.to_normalised) == ("Carol@Example.com", "carol@example.com")
