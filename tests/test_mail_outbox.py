"""The email outbox: queued in the caller's transaction, delivered after commit, never lost."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.mail.outbox import Attachment, deliver_due, queue_email
from portal.mail.smtp import SmtpSender
from portal.models import OutboxEmail
from portal.models.base import utcnow
from tests.conftest import free_port

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
    email = _queue(transactional=False, unsubscribe_url="https://portal.test/me/unsubscribe/t")
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


def test_failing_smtp_delays_mail_but_keeps_it(app, smtp_server):
    """With the SMTP server down the email stays queued with a back-off, then goes out."""
    email = _queue()
    db.session.commit()
    smtp_server.inbox.messages.clear()
    email.status, email.sent_at = "queued", None
    db.session.commit()

    down = SmtpSender("127.0.0.1", free_port(), from_address="x@doorstep.example", timeout=2)
    now = utcnow()
    assert deliver_due(down, now=now) == {"sent": 0, "retry": 1, "failed": 0}
    db.session.refresh(email)
    assert email.status == "queued"
    assert email.last_error
    assert email.next_attempt_at > now

    up = SmtpSender.from_config({**smtp_server.config, "MAIL_FROM": "x@doorstep.example"})
    assert deliver_due(up, now=now) == {"sent": 0, "retry": 0, "failed": 0}  # not due yet
    assert deliver_due(up, now=now + timedelta(hours=1))["sent"] == 1
    assert len(smtp_server.inbox.messages) == 1


def test_a_claimed_email_is_not_sent_twice(app, smtp_server):
    """Two workers racing for the same row: only one claim succeeds."""
    from portal.mail.outbox import _claim

    email = _queue()
    email.next_attempt_at = utcnow() + timedelta(days=1)  # keep it from the commit hook
    db.session.commit()
    later = utcnow() + timedelta(days=2)
    assert _claim(email.id, later) is True
    assert _claim(email.id, later) is False


def test_gives_up_after_max_attempts(app):
    """An address that can never be delivered ends as failed, not in an endless loop."""
    from portal.mail import outbox

    email = _queue()
    email.attempts = outbox.MAX_ATTEMPTS - 1
    email.next_attempt_at = utcnow() + timedelta(days=1)
    db.session.commit()
    down = SmtpSender("127.0.0.1", free_port(), from_address="x@doorstep.example", timeout=2)
    assert deliver_due(down, now=utcnow() + timedelta(days=2))["failed"] == 1
    db.session.refresh(email)
    assert email.status == "failed"
