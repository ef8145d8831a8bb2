"""The do-not-contact list outside the sender: my data, erasure, and `flask mail`."""

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.mail.outbox import queue_email
from portal.mail.suppression import is_suppressed, suppress
from portal.models import OutboxEmail
from portal.models.base import utcnow
from portal.prospects.my_data import collect_my_data, erase_prospect
from tests.factories import gen_prospect
from tests.mail_server import smtp_mailbox


def test_my_data_shows_the_entry_and_erasure_removes_it(app):
    """A suppressed prospect sees it in their export; deleting the account removes it."""
    prospect = gen_prospect(email="gone@example.com")
    suppress("Gone@Example.com", reason="bounced", now=utcnow(), detail="5.1.1 unknown")
    db.session.commit()
    [entry] = collect_my_data(prospect)["do_not_contact"]
    assert (entry["address"], entry["reason"]) == ("gone@example.com", "bounced")
    erase_prospect(prospect)
    db.session.commit()
    assert not is_suppressed("gone@example.com")


def test_an_unknown_reason_is_refused(app):
    """Only the known reasons can be recorded."""
    with pytest.raises(ValueError, match="reason"):
        suppress("x@example.com", reason="annoyed", now=utcnow())


def test_flask_mail_suppress_and_unsuppress(app, runner):
    """A hard bounce reported by the provider is recorded by hand, and lifted again."""
    result = runner.invoke(args=["mail", "suppress", "Gone@Example.com", "--reason", "bounced"])
    assert result.exit_code == 0, result.output
    assert is_suppressed("gone@example.com")
    again = runner.invoke(args=["mail", "suppress", "gone@example.com"])
    assert "already" in again.output
    assert runner.invoke(args=["mail", "suppress", "not-an-address"]).exit_code == 2
    assert runner.invoke(args=["mail", "unsuppress", "gone@example.com"]).exit_code == 0
    assert not is_suppressed("gone@example.com")
    missing = runner.invoke(args=["mail", "unsuppress", "gone@example.com"])
    assert missing.exit_code == 1
    assert "not on the do-not-contact list" in missing.output


def test_flask_mail_status_counts_the_backlog(app, runner):
    """`flask mail status` says how many due messages wait, and warns over the limit."""
    for i in range(3):
        queue_email(to=f"p{i}@example.com", subject="Hi", text="Hello", kind="test")
    db.session.commit()
    app.config["MAIL_BACKLOG_WARNING"] = 2
    result = runner.invoke(args=["mail", "status"])
    assert result.output.strip() == "due and not sent: 3 (backlog warning)"


def test_flask_mail_send_delivers_as_of_a_given_moment(app, runner):
    """`flask mail send --now` sends what is due at that moment; a bad moment is refused."""
    email = queue_email(to="pia@example.com", subject="Hi", text="Hello", kind="test")
    email.next_attempt_at = utcnow() + timedelta(days=1)
    db.session.commit()
    with smtp_mailbox() as (mailbox, config):
        app.config.update(config)
        today = runner.invoke(args=["mail", "send"])
        assert today.output.startswith("sent 0,")
        tomorrow = (utcnow() + timedelta(days=1, minutes=1)).isoformat()
        result = runner.invoke(args=["mail", "send", "--now", tomorrow, "--batch-size", "5"])
        assert result.output.startswith("sent 1,"), result.output
        assert mailbox.message_ids() == [email.message_id]
    bad = runner.invoke(args=["mail", "send", "--now", "next tuesday"])
    assert bad.exit_code == 2
    assert "ISO-8601" in bad.output
    db.session.expire_all()
    assert db.session.get(OutboxEmail, email.id).status == "sent"


def test_flask_mail_send_needs_an_smtp_host(app, runner):
    """Without MAIL_SMTP_HOST the command says so instead of pretending to send."""
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 1
    assert "MAIL_SMTP_HOST is not set" in result.output
