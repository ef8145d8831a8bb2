"""Manage links: GET shows, POST acts; moves and cancels keep claims, reminders, mail in step."""

from datetime import time, timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from portal.extensions import db
from portal.models import SlotClaim, TourReminder, TourStatusChange
from portal.models.base import utcnow
from portal.tours.booking import release_expired_requests
from tests.factories import gen_agent, gen_tour_type, gen_unit
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


@pytest.fixture
def listing(app):
    unit = gen_unit()
    gen_tour_type(unit.property, "guided", horizon_days=30)
    gen_agent(unit.property)
    db.session.commit()
    return unit


@pytest.fixture
def booked(client, listing):
    start = local_slot(3, time(10))
    response = client.post(f"/tours/book/{listing.id}/details", data=booking_data("guided", start))
    return token_from(response.headers["Location"])


def _snapshot():
    return (
        [(t.status, t.starts_at, t.sequence) for t in tours()],
        db.session.scalar(sa.select(sa.func.count(SlotClaim.id))),
        len(emails()),
        db.session.scalar(sa.select(sa.func.count(TourStatusChange.id))),
    )


def _calendar(email) -> Calendar:
    return Calendar.from_ical(email.attachments[0]["content"])


@pytest.mark.parametrize(
    "path", ["", "/reschedule", "/cancel", "/tour.ics", "/about-you", "/reschedule?day=2030-01-01"]
)
def test_get_on_a_manage_link_changes_nothing(client, booked, path):
    """Mail scanners follow every GET: none of them may change the tour."""
    before = _snapshot()
    response = client.get(f"/tours/m/{booked}{path}")
    assert response.status_code in (200, 405)
    db.session.expire_all()
    assert _snapshot() == before


@pytest.mark.parametrize("token", ["nope", "A" * 22, "1", "x" * 200, "../../etc/passwd"])
def test_bad_tokens_are_404(client, booked, token):
    """Malformed and unknown tokens answer 404 to GET and POST."""
    assert client.get(f"/tours/m/{token}").status_code == 404
    assert client.post(f"/tours/m/{token}/cancel").status_code == 404


def test_manage_page_shows_the_tour_in_local_time(client, booked):
    """The manage page shows the time in the property's zone, with its actions."""
    html = client.get(f"/tours/m/{booked}").get_data(as_text=True)
    assert "at 10:00 (Helsinki time" in html
    assert "Cancel the tour" in html
    assert "Pick a new time" in html


def test_reschedule_moves_claims_reminders_and_calendar(client, booked):
    """A move: new time, same UID with a higher SEQUENCE, reminders re-planned, old time free."""
    [tour] = tours()
    old_start, uid = tour.starts_at, tour.uid
    new_start = local_slot(4, time(14))
    picker = client.get(f"/tours/m/{booked}/reschedule?day={new_start.date().isoformat()}")
    assert iso(new_start) in picker.get_data(as_text=True)
    response = client.post(f"/tours/m/{booked}/reschedule", data={"start": iso(new_start)})
    assert response.status_code == 303
    db.session.expire_all()
    [tour] = tours()
    assert (tour.status, tour.starts_at, tour.sequence) == ("rescheduled", new_start, 1)
    cells = db.session.scalars(sa.select(SlotClaim.cell_start)).all()
    assert min(cells) == new_start
    assert old_start not in cells
    reminders = db.session.scalars(sa.select(TourReminder)).all()
    assert {r.due_at for r in reminders} == {
        new_start - timedelta(hours=24),
        new_start - timedelta(hours=1),
    }
    [email] = emails("tour_rescheduled")
    event = _calendar(email).walk("VEVENT")[0]
    assert str(event["UID"]) == uid
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == new_start
    assert [h.to_status for h in tour.history] == ["confirmed", "rescheduled"]


def test_reschedule_to_a_taken_time_is_409(client, listing, booked):
    """Someone else's time cannot be taken by moving into it."""
    other = local_slot(5, time(11))
    client.post(
        f"/tours/book/{listing.id}/details",
        data=booking_data("guided", other, email="other@example.com"),
    )
    response = client.post(f"/tours/m/{booked}/reschedule", data={"start": iso(other)})
    assert response.status_code == 409
    assert "just taken" in response.get_data(as_text=True)
    db.session.expire_all()
    assert tours()[0].sequence == 0


def test_cancel_frees_the_time_and_sends_a_cancel_invitation(client, listing, booked):
    """Cancelling releases the slot, cancels reminders and mails METHOD:CANCEL."""
    response = client.post(f"/tours/m/{booked}/cancel")
    assert response.status_code == 303
    db.session.expire_all()
    [tour] = tours()
    assert tour.status == "cancelled_by_prospect"
    assert db.session.scalar(sa.select(sa.func.count(SlotClaim.id))) == 0
    statuses = set(db.session.scalars(sa.select(TourReminder.status)))
    assert statuses == {"cancelled"}
    [email] = emails("tour_cancelled")
    calendar = _calendar(email)
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    assert calendar.walk("VEVENT")[0]["SEQUENCE"] == 1
    # The same time can be booked again by someone else.
    again = client.post(
        f"/tours/book/{listing.id}/details",
        data=booking_data("guided", tour.starts_at, email="next@example.com"),
    )
    assert again.status_code == 303


def test_cancelled_tour_cannot_be_cancelled_or_moved_again(client, booked):
    """A cancelled tour refuses a second cancel (409) and a move (422), mailing once."""
    client.post(f"/tours/m/{booked}/cancel")
    assert client.post(f"/tours/m/{booked}/cancel").status_code == 409
    response = client.post(f"/tours/m/{booked}/reschedule", data={"start": iso(local_slot(6))})
    assert response.status_code == 422
    assert len(emails("tour_cancelled")) == 1


def test_confirmation_invitation_is_a_valid_request(client, booked):
    """The .ics: METHOD:REQUEST, stable UID, UTC times, organizer and attendee, manage link."""
    [email] = emails("tour_confirmed")
    [tour] = tours()
    calendar = _calendar(email)
    assert calendar["METHOD"] == "REQUEST"
    assert calendar["VERSION"] == "2.0"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == tour.uid
    assert booked not in str(event["UID"])
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == tour.starts_at
    assert event.decoded("DTEND") == tour.ends_at
    assert event["DTSTART"].to_ical().endswith(b"Z")
    assert str(event["ATTENDEE"]) == "mailto:pia@example.com"
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert f"/tours/m/{booked}" in str(event["URL"])
    download = client.get(f"/tours/m/{booked}/tour.ics")
    assert download.mimetype == "text/calendar"
    assert Calendar.from_ical(download.data).walk("VEVENT")[0]["UID"] == event["UID"]


def test_requests_needing_review_hold_their_time_until_they_expire(app, client):
    """A review request holds the slot; once expired, the slot is free again."""
    unit = gen_unit()
    gen_tour_type(unit.property, "guided", confirmation="staff", hold_hours=1)
    gen_agent(unit.property)
    db.session.commit()
    start = local_slot(3)
    first = client.post(f"/tours/book/{unit.id}/details", data=booking_data("guided", start))
    assert first.status_code == 303
    [tour] = tours()
    assert tour.status == "requested"
    assert emails("tour_requested")
    second = client.post(
        f"/tours/book/{unit.id}/details", data=booking_data("guided", start, email="b@example.com")
    )
    assert second.status_code == 409
    assert release_expired_requests(utcnow() + timedelta(hours=2)) == 1
    db.session.commit()
    assert tours()[0].status == "expired"
    assert db.session.scalar(sa.select(sa.func.count(SlotClaim.id))) == 0
    assert emails("tour_expired")


def test_visitor_confirms_a_self_guided_tour_from_the_link(client):
    """Verification: the tour waits for the visitor's POST from the emailed link."""
    unit = gen_unit()
    gen_tour_type(unit.property, "self_guided", confirmation="visitor", hold_hours=2)
    db.session.commit()
    response = client.post(
        f"/tours/book/{unit.id}/details", data=booking_data("self_guided", local_slot(3))
    )
    token = token_from(response.headers["Location"])
    [tour] = tours()
    assert tour.status == "requested"
    [request_email] = emails("tour_requested")
    assert "Please confirm your tour" in request_email.text_body
    link = confirm_path_from(request_email)
    assert link.startswith(f"/tours/m/{token}/confirm/")
    assert "Confirm my tour" in client.get(link).get_data(as_text=True)
    assert client.post(link).status_code == 303
    db.session.expire_all()
    assert tours()[0].status == "confirmed"
    assert len(emails("tour_confirmed")) == 1


def test_the_manage_link_alone_cannot_confirm_a_request(client):
    """The booker sees the manage link at once, so only the emailed link confirms."""
    unit = gen_unit()
    gen_tour_type(unit.property, "self_guided", confirmation="visitor", hold_hours=2)
    db.session.commit()
    response = client.post(
        f"/tours/book/{unit.id}/details", data=booking_data("self_guided", local_slot(3))
    )
    token = token_from(response.headers["Location"])
    page = client.get(f"/tours/m/{token}").get_data(as_text=True)
    assert "Confirm my tour" not in page
    assert "/confirm/" not in page
    assert client.post(f"/tours/m/{token}/confirm").status_code == 409
    assert client.post(f"/tours/m/{token}/confirm/{'0' * 32}").status_code == 404
    db.session.expire_all()
    assert tours()[0].status == "requested"


def test_visitor_cannot_confirm_a_tour_staff_must_review(client):
    """A request that staff must review cannot be confirmed from the emailed link."""
    unit = gen_unit()
    gen_tour_type(unit.property, "guided", confirmation="staff")
    gen_agent(unit.property)
    db.session.commit()
    response = client.post(
        f"/tours/book/{unit.id}/details", data=booking_data("guided", local_slot(3))
    )
    token = token_from(response.headers["Location"])
    assert client.post(f"/tours/m/{token}/confirm").status_code == 409
    db.session.expire_all()
    assert tours()[0].status == "requested"


def test_manage_pages_do_not_leak_their_token(client, booked):
    """No Referer to the video provider and no shared caching of a page with a secret URL."""
    response = client.get(f"/tours/m/{booked}")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]


def test_a_tour_that_has_started_can_no_longer_be_changed(client, booked):
    """An old link still shows the tour, but cancel and reschedule are refused."""
    [tour] = tours()
    tour.starts_at = utcnow() - timedelta(minutes=5)
    tour.ends_at = utcnow() + timedelta(minutes=25)
    db.session.commit()
    page = client.get(f"/tours/m/{booked}").get_data(as_text=True)
    assert "Cancel the tour" not in page
    assert client.post(f"/tours/m/{booked}/cancel").status_code == 409
    moved = client.post(f"/tours/m/{booked}/reschedule", data={"start": iso(local_slot(5))})
    assert moved.status_code == 422
    assert "already started" in moved.get_data(as_text=True)
    db.session.expire_all()
    assert tours()[0].status == "confirmed"
