"""An outbox row as the MIME message that goes on the wire.

Structure, as calendar and mail clients look for it::

    multipart/mixed
      multipart/alternative
        text/plain; charset=utf-8
        text/html; charset=utf-8
        text/calendar; charset=utf-8; method=REQUEST     (the invitation, inline)
      text/calendar; charset=utf-8; method=REQUEST; name=tour.ics   (the same, attached)

Every text part declares UTF-8 (a calendar carries "Töölönlahti") and is
quoted-printable, so no relay has to know 8BITMIME. Built with the ``email.mime``
classes: the header-parsing ``EmailMessage`` API costs several milliseconds a message,
more than the SMTP exchange itself (bench/bench_delivery.py).
"""

from dataclasses import dataclass
from datetime import datetime
from email import charset as email_charset
from email.header import Header
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, parseaddr

from portal.mail.headers import date_header

CALENDAR = "text/calendar"
UTF8 = email_charset.Charset("utf-8")
UTF8.header_encoding = email_charset.SHORTEST
UTF8.body_encoding = email_charset.QP


@dataclass(frozen=True)
class ContentType:
    """``text/calendar; method=REQUEST`` as its parts."""

    maintype: str
    subtype: str
    params: dict[str, str]

    @classmethod
    def parse(cls, value: str) -> "ContentType":
        kind, *rest = (piece.strip() for piece in value.split(";"))
        maintype, _, subtype = kind.lower().partition("/")
        params = {}
        for piece in rest:
            name, sep, param = piece.partition("=")
            if sep:
                params[name.strip().lower()] = param.strip().strip('"')
        params.pop("charset", None)  # text is always sent as UTF-8
        return cls(maintype, subtype, params)

    @property
    def is_calendar(self) -> bool:
        return f"{self.maintype}/{self.subtype}" == CALENDAR


def envelope_sender(from_header: str) -> str:
    """The bare address of ``MAIL_FROM`` (``Doorstep <hello@x>`` → ``hello@x``)."""
    return parseaddr(from_header)[1]


def _text(content: str, kind: ContentType) -> MIMEText:
    part = MIMEText(content, kind.subtype, UTF8)
    for name, value in kind.params.items():
        part.set_param(name, value)
    return part


def _header(value: str) -> str | Header:
    return value if value.isascii() else Header(value, UTF8)


def build_message(email, *, from_address: str, sent_at: datetime) -> Message:
    """The message for ``email`` (an ``OutboxEmail`` or a row with the same fields),
    dated ``sent_at`` and carrying its stored Message-ID."""
    attachments = [(a, ContentType.parse(a["content_type"])) for a in email.attachments or []]
    alternatives = [MIMEText(email.text_body, "plain", UTF8)]
    if email.html_body:
        alternatives.append(MIMEText(email.html_body, "html", UTF8))
    # Inline too, where calendar clients look for the invitation to offer "accept".
    alternatives += [_text(a["content"], kind) for a, kind in attachments if kind.is_calendar]
    body = alternatives[0]
    if len(alternatives) > 1:
        body = MIMEMultipart("alternative", None, alternatives)
    if attachments:
        message = MIMEMultipart("mixed", None, [body])
        for attachment, kind in attachments:
            if kind.maintype == "text":
                part = _text(attachment["content"], kind)
                part.set_param("name", attachment["filename"])
            else:
                part = MIMEApplication(attachment["content"].encode("utf-8"), kind.subtype)
            part.add_header("Content-Disposition", "attachment", filename=attachment["filename"])
            message.attach(part)
    else:
        message = body
    name, address = parseaddr(from_address)
    message["From"] = formataddr((name, address), charset=UTF8)
    message["To"] = email.to_address
    message["Subject"] = _header(email.subject)
    message["Date"] = date_header(sent_at)
    message["Message-ID"] = email.message_id
    for header, value in (email.headers or {}).items():
        message[header] = _header(value)
    return message


def wire_bytes(message: Message) -> bytes:
    """The message as sent: CRLF line ends, as SMTP wants them, and plain headers left
    unfolded up to RFC 5322's 998 characters (a folded List-Unsubscribe URL trips up
    some clients); encoded words fold on their own."""
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n", max_line_length=998))
