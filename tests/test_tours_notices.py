"""Tour email really arrives at an SMTP server, only after the booking commits."""

import pytest

from portal.extensions import db
from tests.factories import gen_agent, gen_tour_type, gen_unit
from tests.loopback_servers import free_port
from tests.tours_helpers import booking_data, emails, local_slot, tours

pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture
def app_config(smtp_server):
    return dict(smtp_server.config)


@pytest.fixture
def listing(app):
    unit = gen_unit()
    gen_tour_type(unit.property, "video")
    gen_agent(unit.property)
    db.session.commit()
    return unit


def test_confirmation_with_invitation_arrives(client, listing, smtp_server):
    """The booking's confirmation reaches the SMTP server with a calendar part."""
    response = client.post(
        f"/tours/book/{listing.id}/details", data=booking_data("video", local_slot(2))
    )
    assert response.status_code == 303
    [message] = smtp_server.inbox.messages
    assert message["To"] == "pia@example.com"
    assert "is booked" in message["Subject"]
    parts = {part.get_content_type(): part for part in message.walk()}
    calendar = parts["text/calendar"]
    assert calendar.get_param("method") == "REQUEST"
    assert tours()[0].uid in calendar.get_content()
    assert tours()[0].video_room_url in parts["text/plain"].get_content()


def test_refused_booking_sends_nothing(client, listing, smtp_server):
    """An invalid booking queues and sends no email."""
    response = client.post(
        f"/tours/book/{listing.id}/details",
        data=booking_data("video", local_slot(2), email="broken"),
    )
    assert response.status_code == 422
    assert smtp_server.inbox.messages == []
    assert emails() == []


def test_smtp_down_never_blocks_booking(app, app_factory):
    """With the mail server unreachable the tour is booked and its email waits in the outbox."""
    # `app` is asked for only to empty the tables afterwards, as after every other test.
    down = app_factory(MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=free_port())
    with down.app_context():
        unit = gen_unit()
        gen_tour_type(unit.property, "guided")
        gen_agent(unit.property)
        db.session.commit()
        response = down.test_client().post(
            f"/tours/book/{unit.id}/details", data=booking_data("guided", local_slot(2))
        )
        assert response.status_code == 303
        [email] = emails("tour_confirmed")
        assert email.status == "queued"
        assert email.last_error
