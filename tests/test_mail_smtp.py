"""The SMTP transaction against a real aiosmtpd on loopback, with and without PIPELINING:
what arrives, how refusals are classified, and the two moments the sender uses."""

import pytest

from portal.mail.smtp import PermanentFailure, SmtpTransport, TemporaryFailure
from tests.mail_server import smtp_mailbox

MESSAGE = b"Subject: Hello\r\n\r\nFirst line\r\n.a line that starts with a dot\r\n.\r\nLast\r\n"


@pytest.fixture(params=[False, True], ids=["one-command-at-a-time", "pipelining"])
def mailbox(request):
    with smtp_mailbox(pipelining=request.param) as (box, config):
        box.transport = SmtpTransport("127.0.0.1", config["MAIL_SMTP_PORT"], timeout=5)
        yield box
        box.transport.close()


def test_the_message_arrives_byte_for_byte_with_its_leading_dots(mailbox):
    """Dot-stuffing on the way, undone by the server: the bytes sent are the bytes kept."""
    mailbox.transport.send("hello@homes.example.com", "pia@example.com", MESSAGE)
    assert mailbox.raw == [MESSAGE]
    assert mailbox.messages[0]["Subject"] == "Hello"


def test_a_4xx_for_the_recipient_is_temporary_and_the_connection_goes_on(mailbox):
    """A refused recipient resets the transaction; the next message on the same
    connection is delivered."""
    mailbox.refuse("busy@example.com", "451 4.3.0 try later")
    with pytest.raises(TemporaryFailure, match="451"):
        mailbox.transport.send("hello@homes.example.com", "busy@example.com", MESSAGE)
    mailbox.transport.send("hello@homes.example.com", "pia@example.com", MESSAGE)
    assert len(mailbox.messages) == 1
    assert mailbox.connections == 1


def test_a_5xx_for_the_recipient_is_permanent(mailbox):
    """550 at RCPT: the recipient's server refused the address for good."""
    mailbox.refuse("gone@example.com", "550 5.1.1 no such user")
    with pytest.raises(PermanentFailure, match="550"):
        mailbox.transport.send("hello@homes.example.com", "gone@example.com", MESSAGE)
    assert mailbox.messages == []


def test_before_end_runs_before_the_server_has_the_message(mailbox):
    """The sender records the previous outcome in ``before_end``: the server has not
    accepted this message yet; ``while_waiting`` comes after the end of data."""
    seen = []
    mailbox.transport.send(
        "hello@homes.example.com",
        "pia@example.com",
        MESSAGE,
        before_end=lambda: seen.append(("before_end", len(mailbox.messages))),
        while_waiting=lambda: seen.append(("while_waiting", None)),
    )
    assert seen == [("before_end", 0), ("while_waiting", None)]
    assert len(mailbox.messages) == 1


def test_a_failing_before_end_leaves_the_message_unaccepted(mailbox):
    """If the previous outcome cannot be recorded, this message must not be accepted:
    the connection is dropped before its end of data, and the next send reconnects."""

    def database_down():
        raise RuntimeError("database down")

    with pytest.raises(RuntimeError, match="database down"):
        mailbox.transport.send(
            "hello@homes.example.com", "pia@example.com", MESSAGE, before_end=database_down
        )
    mailbox.transport.send("hello@homes.example.com", "pia@example.com", MESSAGE)
    assert mailbox.raw == [MESSAGE]


def test_an_address_with_a_line_break_is_refused_without_sending_a_command(mailbox):
    """A line break in an address would smuggle a command: refused for good instead."""
    with pytest.raises(PermanentFailure, match="line break"):
        mailbox.transport.send("hello@homes.example.com", "Pia <pia@example.com>\r\nRSET", MESSAGE)
    assert mailbox.messages == []
