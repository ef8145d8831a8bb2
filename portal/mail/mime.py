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

import binascii
import functools
import uuid
from dataclasses import dataclass
from datetime import datetime
from email import base64mime
from email import charset as email_charset
from email.generator import NLCRE, BytesGenerator
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import formataddr, parseaddr
from io import BytesIO

from portal.mail.headers import date_header

CALENDAR = "text/calendar"
UTF8 = email_charset.Charset("utf-8")
# Base64 encoded words: "shortest" would measure the quoted-printable form character by
# character first, which cost more than the whole SMTP exchange.
UTF8.header_encoding = email_charset.BASE64


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


def _text(content: str, subtype: str, params: dict[str, str] | None = None) -> MIMENonMultipart:
    """A UTF-8 text part, quoted-printable (with the C encoder of ``binascii``: the
    ``email`` package's own is pure Python and the slowest step of building a message)."""
    part = MIMENonMultipart("text", subtype, charset="utf-8", **(params or {}))
    part["Content-Transfer-Encoding"] = "quoted-printable"
    part.set_payload(binascii.b2a_qp(content.encode("utf-8"), istext=True).decode("ascii"))
    return part


def _boundary() -> str:
    # "=_" never occurs in quoted-printable or base64 bodies, so the boundary needs no
    # search through the parts (which the generator would otherwise do with a regex).
    return f"=_{uuid.uuid4().hex}"


class _EncodedWords(str):
    """A header value we encoded and folded ourselves (RFC 2047): written as it is."""


# An encoded word is at most 75 characters: "=?utf-8?b?" + base64 of 45 bytes (60) + "?=".
_WORD_BYTES = 45


def _header(value: str) -> str:
    """``value`` as a header: as it is when ASCII, else base64 encoded words, split
    between characters and folded one word a line (``email.header.Header`` measures
    every split, which cost more than the rest of building the message)."""
    if value.isascii():
        return value
    data, words, start = value.encode("utf-8"), [], 0
    while start < len(data):
        end = min(start + _WORD_BYTES, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # inside a character
            end -= 1
        words.append(base64mime.header_encode(data[start:end], "utf-8"))
        start = end
    return _EncodedWords("\r\n ".join(words))


@functools.cache
def _from_header(from_address: str) -> str:
    """``MAIL_FROM`` as a header (the same for every message of a run: parsed once)."""
    name, address = parseaddr(from_address)
    return formataddr((name, address), charset=UTF8)


def build_message(email, *, from_address: str, sent_at: datetime) -> Message:
    """The message for ``email`` (an ``OutboxEmail`` or a row with the same fields),
    dated ``sent_at`` and carrying its stored Message-ID."""
    attachments = [(a, ContentType.parse(a["content_type"])) for a in email.attachments or []]
    alternatives = [_text(email.text_body, "plain")]
    if email.html_body:
        alternatives.append(_text(email.html_body, "html"))
    # Inline too, where calendar clients look for the invitation to offer "accept".
    alternatives += [
        _text(a["content"], kind.subtype, kind.params)
        for a, kind in attachments
        if kind.is_calendar
    ]
    body = alternatives[0]
    if len(alternatives) > 1:
        body = MIMEMultipart("alternative", _boundary(), alternatives)
    if attachments:
        message = MIMEMultipart("mixed", _boundary(), [body])
        for attachment, kind in attachments:
            if kind.maintype == "text":
                params = {**kind.params, "name": attachment["filename"]}
                part = _text(attachment["content"], kind.subtype, params)
            else:
                part = MIMEApplication(attachment["content"].encode("utf-8"), kind.subtype)
            part.add_header("Content-Disposition", "attachment", filename=attachment["filename"])
            message.attach(part)
    else:
        message = body
    message["From"] = _from_header(from_address)
    message["To"] = email.to_address
    message["Subject"] = _header(email.subject)
    message["Date"] = date_header(sent_at)
    message["Message-ID"] = email.message_id
    for header, value in (email.headers or {}).items():
        message[header] = _header(value)
    return message


class _WireGenerator(BytesGenerator):
    """``BytesGenerator`` that writes a plain ASCII header as it is.

    Folding runs every header through ``email.header.Header``, the largest cost of
    building a message; our own headers are short ASCII lines (or already encoded
    ``Header`` objects, which still go the standard way), so they need none of it.
    """

    def _write_headers(self, msg):
        for name, value in msg.raw_items():
            if isinstance(value, _EncodedWords):
                self._fp.write(f"{name}: {value}\r\n".encode("ascii"))
            elif isinstance(value, str) and value.isascii() and len(name) + len(value) < 996:
                if "\r" in value or "\n" in value:
                    raise ValueError(f"header {name} contains a line break")
                self._fp.write(f"{name}: {value}\r\n".encode("ascii"))
            else:
                self._fp.write(self.policy.fold_binary(name, value))
        self.write(self._NL)

    def _write_lines(self, lines):
        # The parent writes a body line by line (a hundred writes a message); one
        # substitution gives the same bytes.
        if lines:
            self.write(NLCRE.sub(self._NL, lines))


def wire_bytes(message: Message) -> bytes:
    """The message as sent: CRLF line ends, as SMTP wants them, and plain headers left
    unfolded up to RFC 5322's 998 characters (a folded List-Unsubscribe URL trips up
    some clients); encoded words fold on their own."""
    out = BytesIO()
    policy = message.policy.clone(linesep="\r\n", max_line_length=998)
    _WireGenerator(out, mangle_from_=False, policy=policy).flatten(message)
    return out.getvalue()
