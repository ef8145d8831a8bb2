"""The sender against a real SMTP server on loopback: leases, retries, do-not-contact."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.mail.outbox import queue_email
from portal.mail.outbox_leases import backlog, claim_batch, mark
from portal.mail.sender import MAX_ATTEMPTS, SERVER_DOWN_PAUSE, backoff, deliver_due
from portal.mail.smtp import SmtpTransport
from portal.mail.suppression import is_suppressed, suppressed_addresses
from portal.models import MailSuppression, OutboxEmail
from portal.models.base import utcnow
from tests.loopback_servers import free_port
from tests.mail_server import smtp_mailbox

UNSUBSCRIBE = "https://portal.test/me/unsubscribe/tok"


@pytest.fixture
def mailbox():
    with smtp_mailbox() as (box, config):
        box.config = config
        yield box


def _transport(config: dict) -> SmtpTransport:
    return SmtpTransport(config["MAIL_SMTP_HOST"], config["MAIL_SMTP_PORT"], timeout=5)


def _queue(n: int = 1, *, to: str = "pia@example.com", transactional: bool = True):
    extra = {} if transactional else {"transactional": False, "unsubscribe_url": UNSUBSCRIBE}
    rows = [
        queue_email(
            to=to,
            subject=f"Message {i}",
            text=f"Hello {i}\n{UNSUBSCRIBE}",
            kind="test",
            **extra,
        )
        for i in range(n)
    ]
    db.session.commit()
    return rows


def _row(email_id: int) -> OutboxEmail:
    db.session.expire_all()
    return db.session.get(OutboxEmail, email_id)


def test_a_batch_goes_over_one_connection_and_is_marked_sent(app, mailbox):
    """Twenty due messages: one SMTP session, twenty accepted, each row marked sent."""
    rows = _queue(20)
    now = utcnow()
    report = deliver_due(now, transport=_transport(mailbox.config), batch_size=8)
    assert (report.claimed, report.sent) == (20, 20)
    assert mailbox.connections == 1
    assert sorted(mailbox.message_ids()) == sorted(r.message_id for r in rows)
    for row in rows:
        stored = _row(row.id)
        assert stored.status == "sent"
        assert stored.claimed_by is None
        assert stored.lease_expires_at is None
        assert now <= stored.sent_at <= utcnow()


def test_the_date_header_is_the_moment_of_sending(app, mailbox):
    """Date is written when the message goes, not when it was queued."""
    [row] = _queue()
    later = utcnow() + timedelta(hours=3)
    deliver_due(later, transport=_transport(mailbox.config))
    [message] = mailbox.messages
    assert abs(message["Date"].datetime - later) < timedelta(seconds=5)
    assert abs(_row(row.id).sent_at - message["Date"].datetime) < timedelta(seconds=1)


def test_a_4xx_answer_is_retried_with_a_growing_back_off_and_the_same_message_id(app, mailbox):
    """451 three times: back-offs of 1, 2 and 4 minutes; then sent with its first Message-ID."""
    [row] = _queue(to="busy@example.com")
    mailbox.refuse("busy@example.com", *["451 4.3.0 mailbox busy, try later"] * 3)
    now = utcnow()
    for attempt, wait in ((1, 1), (2, 2), (3, 4)):
        report = deliver_due(now, transport=_transport(mailbox.config))
        assert report.retry == 1
        stored = _row(row.id)
        assert (stored.status, stored.attempts) == ("queued", attempt)
        assert stored.next_attempt_at == now + timedelta(minutes=wait)
        assert "451" in stored.last_error
        assert deliver_due(now, transport=_transport(mailbox.config)).claimed == 0  # not yet due
        now = stored.next_attempt_at
    assert deliver_due(now, transport=_transport(mailbox.config)).sent == 1
    assert mailbox.message_ids() == [row.message_id]
    assert _row(row.id).status == "sent"


def test_back_off_doubles_up_to_a_cap():
    """1, 2, 4, 8 … minutes, never more than six hours."""
    assert [backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert backoff(30) == timedelta(hours=6)


def test_a_5xx_answer_fails_the_message_and_marks_the_address_do_not_contact(app, mailbox):
    """550 for the recipient: failed (not sent), and the address goes on the list."""
    [row] = _queue(to="Gone@Example.com")
    mailbox.refuse("gone@example.com", "550 5.1.1 no such user")
    report = deliver_due(utcnow(), transport=_transport(mailbox.config))
    assert (report.failed, report.sent) == (1, 0)
    stored = _row(row.id)
    assert stored.status == "failed"
    assert stored.sent_at is None
    assert "550 5.1.1" in stored.last_error
    assert is_suppressed("gone@example.com")
    assert is_suppressed(" GONE@example.com ")
    entry = db.session.get(MailSuppression, "gone@example.com")
    assert (entry.reason, entry.outbox_email_id) == ("rejected", row.id)
    assert mailbox.messages == []


def test_nothing_unasked_goes_to_a_suppressed_address_but_what_they_ask_for_does(app, mailbox):
    """After a 5xx, follow-ups to the address are suppressed; a requested sign-in link goes."""
    mailbox.refuse("gone@example.com", "550 5.1.1 no such user")
    _queue(to="gone@example.com")
    deliver_due(utcnow(), transport=_transport(mailbox.config))
    [follow_up] = _queue(to="gone@example.com", transactional=False)
    [sign_in] = _queue(to="gone@example.com")
    report = deliver_due(utcnow(), transport=_transport(mailbox.config))
    assert (report.suppressed, report.sent) == (1, 1)
    assert _row(follow_up.id).status == "suppressed"
    assert mailbox.message_ids() == [sign_in.message_id]


def test_the_follow_up_rules_can_exclude_suppressed_addresses_in_sql(app, mailbox):
    """``suppressed_addresses()`` is a subquery a set-based rule can anti-join."""
    mailbox.refuse("gone@example.com", "550 5.1.1 no such user")
    _queue(to="gone@example.com")
    _queue(to="here@example.com")
    deliver_due(utcnow(), transport=_transport(mailbox.config))
    reachable = db.session.scalars(
        sa.select(OutboxEmail.to_normalised).where(
            OutboxEmail.to_normalised.not_in(suppressed_addresses())
        )
    ).all()
    assert reachable == ["here@example.com"]


def test_a_server_that_cannot_be_reached_delays_mail_but_loses_none(app):
    """SMTP down: one connection try, nothing marked sent, every row waits, backlog shows it."""
    rows = _queue(5)
    now = utcnow()
    down = SmtpTransport("127.0.0.1", free_port(), timeout=2)
    report = deliver_due(now, transport=down)
    assert (report.sent, report.retry) == (0, 1)
    stored = [_row(r.id) for r in rows]
    assert {r.status for r in stored} == {"queued"}
    assert [r.attempts for r in stored] == [1, 0, 0, 0, 0]  # the untried were given back
    assert all(r.sent_at is None for r in stored)
    assert stored[1].next_attempt_at == now + SERVER_DOWN_PAUSE
    assert backlog(now) == 0
    assert backlog(now + timedelta(minutes=2)) == 5


def test_a_claimed_row_is_not_taken_again_until_its_lease_ends(app, mailbox):
    """A row held by a live worker is left alone; after the lease another worker sends it."""
    [row] = _queue()
    now = utcnow()
    assert claim_batch(now, worker_id="a", batch_size=10, lease=timedelta(minutes=5)) == [row.id]
    assert claim_batch(now, worker_id="b", batch_size=10, lease=timedelta(minutes=5)) == []
    early = deliver_due(now + timedelta(minutes=4), transport=_transport(mailbox.config))
    assert early.claimed == 0
    assert backlog(now + timedelta(minutes=4)) == 0
    assert backlog(now + timedelta(minutes=6)) == 1
    report = deliver_due(now + timedelta(minutes=6), transport=_transport(mailbox.config))
    assert report.sent == 1
    stored = _row(row.id)
    assert (stored.status, stored.attempts) == ("sent", 2)  # the crashed try counts
    assert mailbox.message_ids() == [row.message_id]


def test_two_claims_never_overlap(app):
    """Two workers claiming at the same moment get disjoint rows."""
    _queue(30)
    now = utcnow()
    first = claim_batch(now, worker_id="a", batch_size=20, lease=timedelta(minutes=5))
    second = claim_batch(now, worker_id="b", batch_size=20, lease=timedelta(minutes=5))
    assert len(first) == 20
    assert len(second) == 10
    assert not set(first) & set(second)


def test_a_worker_whose_lease_was_taken_over_does_not_overwrite_the_outcome(app, mailbox):
    """A too-slow worker's late mark is refused: the row belongs to whoever holds it now."""
    [row] = _queue()
    now = utcnow()
    claim_batch(now, worker_id="slow", batch_size=1, lease=timedelta(minutes=1))
    deliver_due(now + timedelta(minutes=2), transport=_transport(mailbox.config), worker_id="b")
    assert mark(row.id, "slow", status="queued") is False
    assert _row(row.id).status == "sent"


def test_gives_up_after_max_attempts(app, mailbox):
    """A message that keeps getting 4xx ends as failed, not in an endless loop."""
    [row] = _queue(to="busy@example.com")
    mailbox.refuse("busy@example.com", "452 4.2.2 mailbox full")
    row.attempts = MAX_ATTEMPTS - 1
    db.session.commit()
    assert deliver_due(utcnow(), transport=_transport(mailbox.config)).failed == 1
    assert _row(row.id).status == "failed"
    assert not is_suppressed("busy@example.com")  # temporary trouble is not do-not-contact


def test_without_an_smtp_host_mail_stays_in_the_outbox(app):
    """Development: no MAIL_SMTP_HOST, nothing is claimed; /dev/outbox shows the mail."""
    [row] = _queue()
    assert deliver_due(utcnow()).claimed == 0
    assert _row(row.id).status == "queued"


def test_the_configured_server_is_used_without_a_transport(app, mailbox):
    """With MAIL_SMTP_HOST set, deliver_due opens its own connection from the settings."""
    _queue(3)
    app.config.update(mailbox.config)
    assert deliver_due(utcnow()).sent == 3
    assert mailbox.connections == 1


def test_a_row_no_message_can_be_built_from_fails_without_stopping_the_rest(app, mailbox):
    """A broken row (a header with a line break) is failed with the reason; the next goes."""
    broken, fine = _queue(2)
    broken.headers = {"X-Note": "one\r\nBcc: everyone@example.com"}
    db.session.commit()
    report = deliver_due(utcnow(), transport=_transport(mailbox.config))
    assert (report.failed, report.sent) == (1, 1)
    stored = _row(broken.id)
    assert stored.status == "failed"
    assert "line break" in stored.last_error
    assert mailbox.message_ids() == [fine.message_id]
