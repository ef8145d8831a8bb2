"""The email outbox: queued in the caller's transaction, delivered after commit, never lost."""

import re

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.mail.outbox import Attachment, queue_email
from portal.models import OutboxEmail

ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"


def _queue(**overrides) -> OutboxEmail:
    values = {"to": "pia@example.com", "subject": "Your tour", "text": "See you!", "kind": "test"}
    values.update(overrides)
    return queue_email(**values)


def _outbox() -> list[OutboxEmail]:
    return list(db.session.scalars(sa.select(OutboxEmail).order_by(OutboxEmail.id)))


def test_queue_only_flushes_so_rollback_sends_nothing(app):
    """An email queued in a transaction that rolls back never exists."""
    _queue()
    db.session.rollback()
    assert _outbox() == []


def test_dedupe_key_queues_once(app):
    """A retried request with the same dedupe key does not queue a second email."""
    first = _queue(dedupe_key="tour-1-confirmation-0")
    second = _queue(dedupe_key="tour-1-confirmation-0")
    db.session.commit()
    assert first.id == second.id
    assert len(_outbox()) == 1


@pytest.fixture
def app_config(smtp_server):
    return dict(smtp_server.config)


def test_a_message_nobody_asked_for_carries_the_unsubscribe_headers(app):
    """A non-transactional email gets RFC 8058 one-click unsubscribe headers from its link."""
    url = "https://portal.test/me/unsubscribe/t"
    email = _queue(transactional=False, unsubscribe_url=url, text=f"Unsubscribe: {url}")
    db.session.commit()
    assert email.headers == {
        "List-Unsubscribe": "<https://portal.test/me/unsubscribe/t>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def test_a_message_nobody_asked_for_needs_an_unsubscribe_link(app):
    """Queuing a non-transactional email without an unsubscribe link is refused."""
    with pytest.raises(ValueError, match="unsubscribe link"):
        _queue(transactional=False)
    assert _outbox() == []


def test_a_transactional_message_has_no_unsubscribe_headers(app):
    """Mail the recipient asked for (a booking confirmation) goes without list headers."""
    email = _queue(headers={"X-Tour": "1"})
    assert email.headers == {"X-Tour": "1"}


def test_commit_delivers_to_the_smtp_server(app, smtp_server):
    """After commit the email really arrives, with text, HTML and a calendar attachment."""
    _queue(
        html="<p>See you!</p>",
        attachments=[Attachment("tour.ics", "text/calendar; method=REQUEST", ICS)],
        headers={"List-Unsubscribe": "<https://portal.test/u/x>"},
    )
    assert smtp_server.inbox.messages == []  # nothing before the commit
    db.session.commit()
    [message] = smtp_server.inbox.messages
    assert message["To"] == "pia@example.com"
    assert message["Subject"] == "Your tour"
    assert message["List-Unsubscribe"] == "<https://portal.test/u/x>"
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "See you!" in parts["text/plain"].get_content()
    assert "<p>See you!</p>" in parts["text/html"].get_content()
    calendar = parts["text/calendar"]
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_filename() == "tour.ics"
    assert "METHOD:REQUEST" in calendar.get_content()
    [row] = _outbox()
    assert row.status == "sent"
    assert row.sent_at is not None


def test_a_message_id_is_made_once_in_the_domain_of_mail_from(app):
    """Queuing stores a Message-ID in MAIL_FROM's domain (never @localhost)."""
    app.config["MAIL_FROM"] = "Doorstep <hello@homes.example.com>"
    first, second = _queue(), _queue()
    db.session.commit()
    assert re.fullmatch(r"<[0-9a-f]{32}@homes\.example\.com>", first.message_id)
    assert first.message_id != second.message_id


def test_the_message_id_domain_can_be_configured(app):
    """MAIL_MESSAGE_ID_DOMAIN overrides the domain taken from MAIL_FROM."""
    app.config["MAIL_MESSAGE_ID_DOMAIN"] = "mail.homes.example.com"
    assert _queue().message_id.endswith("@mail.homes.example.com>")


def test_a_callers_message_id_is_kept(app):
    """A caller may bring its own Message-ID (e.g. a follow-up step made it earlier)."""
    email = _queue(message_id="<step-4.plan-2@homes.example.com>")
    db.session.commit()
    assert email.message_id == "<step-4.plan-2@homes.example.com>"


@pytest.mark.parametrize(
    "bad", ["step-4@x.example", "<no-domain>", "<a b@x.example>", "<a@x.example>\r\nBcc: y"]
)
def test_a_malformed_message_id_is_refused(app, bad):
    """Anything but <left@domain> is refused and nothing is queued."""
    with pytest.raises(ValueError, match="Message-ID"):
        _queue(message_id=bad)
    assert _outbox() == []


def test_a_message_nobody_asked_for_is_stored_as_such(app):
    """The row remembers it is not transactional (the do-not-contact list applies)."""
    url = "https://portal.test/me/unsubscribe/t"
    assert _queue(transactional=False, unsubscribe_url=url, text=url).transactional is False
    assert _queue().transactional is True
