"""The development outbox page: where `make run` shows the mail it would send."""

from portal.extensions import db
from portal.mail.outbox import Attachment, queue_email


def test_outbox_lists_and_shows_email(client):
    """Queued mail is listed and readable, with its attachment downloadable."""
    email = queue_email(
        to="pia@example.com",
        subject="Your tour on Friday",
        text="Plain words",
        html="<p>Rich words</p>",
        kind="test",
        attachments=[Attachment("tour.ics", "text/calendar; method=REQUEST", "BEGIN:VCALENDAR")],
    )
    db.session.commit()
    assert "Your tour on Friday" in client.get("/dev/outbox").get_data(as_text=True)
    page = client.get(f"/dev/outbox/{email.id}").get_data(as_text=True)
    assert "Plain words" in page
    assert "tour.ics" in page
    html = client.get(f"/dev/outbox/{email.id}/html")
    assert "sandbox" in html.headers["Content-Security-Policy"]
    attachment = client.get(f"/dev/outbox/{email.id}/attachments/0")
    assert attachment.mimetype == "text/calendar"
    assert client.get(f"/dev/outbox/{email.id}/attachments/5").status_code == 404


def test_outbox_is_absent_outside_development(app_factory):
    """Production has no outbox page at all."""
    app = app_factory(DEV_OUTBOX=False)
    assert app.test_client().get("/dev/outbox").status_code == 404
