"""SMTP for a batch of messages over one connection, with the server's answer classified.

A connection is opened on the first message and reused for the next ones; a connection
that was reused and dropped (the server's idle timeout) is reopened once. Answers:

- 2xx: accepted, the only case a message is marked sent;
- 4xx (anything temporary, also an unreachable server): ``TemporaryFailure``, retried
  later with a back-off;
- 5xx for the recipient (at RCPT, or the message refused at DATA): ``PermanentFailure``,
  the address goes on the do-not-contact list;
- 5xx about us (the sender address refused, login refused): temporary for the message,
  it waits until the configuration is fixed.

The transaction (``_transaction``) is ``smtplib.sendmail`` on ``smtplib``'s own
``send``/``getreply``, for what neither it nor ``aiosmtplib`` offers: a moment between
the message and its end of data (the sender commits the previous message's outcome
there, while the server reads this one), and RFC 2920 PIPELINING with a server that
advertises it (MAIL, RCPT and DATA in one write: two round trips a message, not four).
"""

import contextlib
import logging
import re
import smtplib
import socket
from collections.abc import Callable, Mapping

log = logging.getLogger(__name__)


class TemporaryFailure(Exception):
    """Not delivered this time; try again later."""

    def __init__(self, detail: str, code: int | None = None):
        super().__init__(detail)
        self.code, self.detail = code, detail


class ServerUnavailable(TemporaryFailure):
    """No usable connection: every later message of the batch would fail the same way."""


class PermanentFailure(Exception):
    """The recipient's server refused this address or message for good (5xx)."""

    def __init__(self, detail: str, code: int):
        super().__init__(detail)
        self.code, self.detail = code, detail


_LEADING_DOT = re.compile(rb"(?m)^\.")
# A bare address needs no parsing to be quoted (``smtplib.quoteaddr`` parses every one).
_PLAIN_ADDRESS = re.compile(r"[^\s<>()\[\]\\,;:\"@]+@[^\s<>()\[\]\\,;:\"@]+")


def _quoted(address: str) -> str:
    if _PLAIN_ADDRESS.fullmatch(address):
        return f"<{address}>"
    quoted = smtplib.quoteaddr(address)
    if "\r" in quoted or "\n" in quoted:  # a command of its own: refused, never sent
        raise smtplib.SMTPRecipientsRefused({address: (501, b"line break in the address")})
    return quoted


def _transaction(
    smtp: smtplib.SMTP,
    envelope_from: str,
    to: str,
    data: bytes,
    before_end: Callable[[], None],
    while_waiting: Callable[[], None],
) -> None:
    """``smtp.sendmail(envelope_from, [to], data)``, raising what it raises, with two
    moments ``sendmail`` does not give: ``before_end`` runs while the server reads the
    message, before the end of data that lets it accept it; ``while_waiting`` while it
    answers. With PIPELINING the envelope's three commands go in one write and their
    answers are read together; the message goes only after the 354, as RFC 2920 asks.
    """
    size = f" size={len(data)}" if smtp.has_extn("size") else ""
    commands = (f"mail FROM:{_quoted(envelope_from)}{size}\r\n", f"rcpt TO:{_quoted(to)}\r\n")
    if smtp.has_extn("pipelining"):
        smtp.send("".join(commands) + "data\r\n")
        mail, rcpt, start = smtp.getreply(), smtp.getreply(), smtp.getreply()
        if start[0] == 354 and (mail[0] != 250 or rcpt[0] not in (250, 251)):
            # A server that opened the message although the envelope failed: end it empty.
            smtp.send(b".\r\n")
            smtp.getreply()
    else:
        smtp.send(commands[0])
        mail = rcpt = start = smtp.getreply()
        if mail[0] == 250:
            smtp.send(commands[1])
            rcpt = start = smtp.getreply()
        if rcpt[0] in (250, 251):
            smtp.send(b"data\r\n")
            start = smtp.getreply()
    if mail[0] != 250:
        _reset_or_close(smtp, mail[0])
        raise smtplib.SMTPSenderRefused(*mail, envelope_from)
    if rcpt[0] not in (250, 251):
        _reset_or_close(smtp, rcpt[0])
        raise smtplib.SMTPRecipientsRefused({to: rcpt})
    if start[0] != 354:
        _reset_or_close(smtp, start[0])
        raise smtplib.SMTPDataError(*start)
    body = _LEADING_DOT.sub(b"..", data)
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    smtp.send(body)
    try:
        before_end()
    except BaseException:
        smtp.close()  # the message must not end: the server drops what it has read
        raise
    smtp.send(b".\r\n")
    while_waiting()
    code, response = smtp.getreply()
    if code != 250:
        _reset_or_close(smtp, code)
        raise smtplib.SMTPDataError(code, response)


def _nothing() -> None:
    pass


def _reset_or_close(smtp: smtplib.SMTP, code: int) -> None:
    """After a refusal, as ``sendmail`` does: 421 means the server is closing."""
    if code == 421:
        smtp.close()
        return
    # Disconnected: the next message finds the connection closed and reconnects.
    with contextlib.suppress(smtplib.SMTPServerDisconnected):
        smtp.rset()


def _answer(code: int, response: bytes | str) -> str:
    text = response.decode("utf-8", "replace") if isinstance(response, bytes) else response
    return f"{code} {text}"[:1000]


class SmtpTransport:
    """One SMTP connection, opened on demand and reused until ``close``."""

    def __init__(
        self,
        host: str,
        port: int = 25,
        *,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = 10,
    ):
        self.host, self.port = host, port
        self.username, self.password, self.starttls = username, password, starttls
        self.timeout = timeout
        self._smtp: smtplib.SMTP | None = None
        self._used = False  # has the open connection carried a message yet?

    @classmethod
    def from_config(cls, config: Mapping) -> "SmtpTransport":
        return cls(
            config["MAIL_SMTP_HOST"],
            int(config.get("MAIL_SMTP_PORT") or 25),
            username=config.get("MAIL_SMTP_USERNAME"),
            password=config.get("MAIL_SMTP_PASSWORD"),
            starttls=bool(config.get("MAIL_SMTP_STARTTLS")),
            timeout=float(config.get("MAIL_SMTP_TIMEOUT") or 10),
        )

    def __enter__(self) -> "SmtpTransport":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        try:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            # The end of data is a small write after the message: without this it could
            # wait for the server's delayed acknowledgement of the message's last packet.
            smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
        except smtplib.SMTPResponseException as exc:
            raise ServerUnavailable(_answer(exc.smtp_code, exc.smtp_error), exc.smtp_code) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise ServerUnavailable(f"{type(exc).__name__}: {exc}") from exc
        self._smtp, self._used = smtp, False
        return smtp

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            smtp.close()

    def send(
        self,
        envelope_from: str,
        to: str,
        data: bytes,
        *,
        before_end: Callable[[], None] | None = None,
        while_waiting: Callable[[], None] | None = None,
    ) -> str:
        """Send ``data`` to ``to``; the server's answer when it accepted the message.

        :param before_end: called before the end of data that lets the server accept the
            message (the sender records the previous message's outcome there).
        :param while_waiting: called while the server's answer is awaited.

        :raises TemporaryFailure: try again later (``ServerUnavailable``: so will the rest).
        :raises PermanentFailure: the server refused the recipient or message for good.
        """
        hooks = (before_end or _nothing, while_waiting or _nothing)
        reused = self._smtp is not None and self._used
        try:
            return self._send_once(envelope_from, to, data, *hooks)
        except ServerUnavailable:
            if not reused:
                raise
            # A kept-open connection the server closed meanwhile: once more on a fresh one.
            log.info("SMTP connection to %s:%s was closed; reconnecting", self.host, self.port)
            return self._send_once(envelope_from, to, data, *hooks)

    def _send_once(self, envelope_from, to, data, before_end, while_waiting) -> str:
        smtp = self._smtp or self._connect()
        try:
            smtp.ehlo_or_helo_if_needed()
            _transaction(smtp, envelope_from, to, data, before_end, while_waiting)
        except smtplib.SMTPRecipientsRefused as exc:
            code, response = exc.recipients.get(to) or next(iter(exc.recipients.values()))
            if code >= 500:
                raise PermanentFailure(_answer(code, response), code) from exc
            raise TemporaryFailure(_answer(code, response), code) from exc
        except smtplib.SMTPDataError as exc:
            answer = _answer(exc.smtp_code, exc.smtp_error)
            if exc.smtp_code >= 500:
                raise PermanentFailure(answer, exc.smtp_code) from exc
            raise TemporaryFailure(answer, exc.smtp_code) from exc
        except smtplib.SMTPSenderRefused as exc:
            # Our own address refused: not the recipient's fault, so no suppression.
            raise TemporaryFailure(_answer(exc.smtp_code, exc.smtp_error), exc.smtp_code) from exc
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop()
            raise ServerUnavailable(f"{type(exc).__name__}: {exc}") from exc
        except smtplib.SMTPResponseException as exc:
            self._drop()
            raise ServerUnavailable(_answer(exc.smtp_code, exc.smtp_error), exc.smtp_code) from exc
        finally:
            if smtp.sock is None and self._smtp is smtp:  # closed on the way (421, a hook)
                self._smtp = None
        self._used = True
        return "250 accepted"
