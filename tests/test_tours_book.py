"""The booking flow in the browser's place: plain forms (no JavaScript) and htmx partials."""

from datetime import time
from zoneinfo import ZoneInfo

import pytest

from portal.extensions import db
from tests.factories import gen_agent, gen_tour_type, gen_unit
from tests.tours_helpers import booking_data, emails, iso, local_slot, token_from, tours

pytestmark = pytest.mark.usefixtures("fixed_clock")

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def listing(app):
    unit = gen_unit()
    for kind in ("guided", "self_guided", "video"):
        gen_tour_type(unit.property, kind, capacity=2 if kind == "self_guided" else 1)
    gen_agent(unit.property)
    db.session.commit()
    return unit


def test_listing_page_offers_a_tour(client, listing):
    """The listing detail page has a 'Book a tour' call to action."""
    html = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert f'href="/tours/book/{listing.id}"' in html
    assert "Book a tour" in html


def test_picker_lists_types_days_and_times_without_javascript(client, listing):
    """Each step is a plain link: type, then day, then time."""
    page = client.get(f"/tours/book/{listing.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Self-guided tour" in html
    assert "Video" in html
    start = local_slot(2)
    html = client.get(
        f"/tours/book/{listing.id}?type=guided&day={start.astimezone(HELSINKI).date().isoformat()}"
    ).get_data(as_text=True)
    assert f"/tours/book/{listing.id}/details?type=guided&amp;start={iso(start)}" in html


def test_htmx_request_gets_only_the_picker(client, listing):
    """An htmx swap receives the partial, not the whole page."""
    html = client.get(
        f"/tours/book/{listing.id}?type=guided", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert html.lstrip().startswith('<div id="picker"')
    assert "<html" not in html


@pytest.mark.parametrize("kind", ["guided", "self_guided", "video"])
def test_book_each_tour_type_end_to_end(client, listing, kind):
    """Details → booked → optional 'about you' step → confirmation page, email queued."""
    start = local_slot(2, time(11))
    form = client.get(f"/tours/book/{listing.id}/details?type={kind}&start={iso(start)}")
    assert form.status_code == 200
    response = client.post(
        f"/tours/book/{listing.id}/details",
        data=booking_data(kind, start, idempotency_key="k" * 20),
    )
    assert response.status_code == 303
    token = token_from(response.headers["Location"])
    [tour] = tours()
    assert tour.status == "confirmed"
    assert tour.starts_at == start
    assert tour.prospect.email == "pia@example.com"
    about = client.post(
        f"/tours/m/{token}/about-you", data={"priorities": ["quiet", "parks"], "note": "A cat"}
    )
    assert about.status_code == 303
    db.session.refresh(tour)
    assert tour.priorities == ["quiet", "parks"]
    page = client.get(f"/tours/m/{token}?booked=1").get_data(as_text=True)
    assert "Your tour is booked" in page
    [email] = emails("tour_confirmed")
    assert email.to_address == "pia@example.com"
    assert email.attachments[0]["filename"] == "tour.ics"
    if kind == "video":
        assert tour.video_room_url.startswith("https://meet.jit.si/doorstep-")
        assert tour.video_room_url in email.text_body
    if kind == "self_guided":
        assert tour.access_code not in email.text_body  # released only shortly before


def test_double_submit_creates_one_tour(client, listing):
    """The same form sent twice (same idempotency key) books once and mails once."""
    data = booking_data("guided", local_slot(3), idempotency_key="same-key-0123456789")
    first = client.post(f"/tours/book/{listing.id}/details", data=data)
    second = client.post(f"/tours/book/{listing.id}/details", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(tours()) == 1
    assert len(emails("tour_confirmed")) == 1


def test_taken_slot_answers_409_with_alternatives(client, listing):
    """The second visitor for the only agent's slot gets a clear message and nearby times."""
    start = local_slot(3)
    client.post(f"/tours/book/{listing.id}/details", data=booking_data("guided", start))
    response = client.post(
        f"/tours/book/{listing.id}/details",
        data=booking_data("guided", start, email="other@example.com"),
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "just taken" in html
    assert "Nearest free times" in html
    assert len(tours()) == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email": "not-an-email"}, "Enter an email address"),
        ({"name": "x" * 121}, "Field cannot be longer than 120 characters"),
        ({"start": "2020-01-01T10:00:00Z"}, "already passed"),
        ({"start": "tomorrow"}, "Pick one of the offered times"),
        ({"contact_channel": "sms"}, "Give a phone number"),
        ({"contact_channel": "pigeon"}, "Not a valid choice"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(client, listing, change, message):
    """Malformed or impossible bookings explain themselves and store nothing."""
    data = {**booking_data("guided", local_slot(2)), **change}
    response = client.post(f"/tours/book/{listing.id}/details", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert tours() == []
    assert emails() == []


def test_off_grid_time_is_refused(client, listing):
    """A forged start time between two slots is not bookable."""
    data = booking_data("guided", local_slot(2, time(10, 10)))
    response = client.post(f"/tours/book/{listing.id}/details", data=data)
    assert response.status_code == 422
    assert "do not offer tours at that time" in response.get_data(as_text=True)
    assert tours() == []


def test_time_outside_opening_hours_is_refused(client, listing):
    """A time after closing is not bookable and stores nothing."""
    data = booking_data("guided", local_slot(2, time(20)))
    assert client.post(f"/tours/book/{listing.id}/details", data=data).status_code == 422
    assert tours() == []


def test_unknown_tour_type_is_404(client, listing):
    """A tour type the property does not offer cannot be booked."""
    data = booking_data("helicopter", local_slot(2))
    assert client.post(f"/tours/book/{listing.id}/details", data=data).status_code == 404
    assert tours() == []
