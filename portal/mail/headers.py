"""The headers every message carries: a Message-ID made once per outbox row, the Date of
sending, and RFC 8058 one-click unsubscribe for mail the recipient did not ask for.

A Message-ID ends in our own domain (``MAIL_MESSAGE_ID_DOMAIN``, else the domain of
``MAIL_FROM``), never ``@localhost``: receiving servers and spam filters look at it, and
a retried or repeated send keeps the stored one so it is recognisably the same message.
"""

import re
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import format_datetime, parseaddr

MESSAGE_ID_PATTERN = re.compile(r"<[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+>")
ONE_CLICK = "List-Unsubscribe=One-Click"


def message_id_domain(config: Mapping) -> str:
    """The right-hand side of our Message-IDs."""
    configured = config.get("MAIL_MESSAGE_ID_DOMAIN")
    if configured:
        return configured.strip().lower()
    address = parseaddr(config.get("MAIL_FROM") or "")[1]
    domain = address.rpartition("@")[2]
    if not domain:
        raise ValueError("MAIL_FROM has no domain: set MAIL_MESSAGE_ID_DOMAIN")
    return domain.lower()


def new_message_id(domain: str) -> str:
    """A globally unique Message-ID (RFC 5322 msg-id) in ``domain``."""
    return f"<{uuid.uuid4().hex}@{domain}>"


def check_message_id(value: str) -> str:
    """``value`` if it is a well-formed ``<left@domain>`` Message-ID.

    :raises ValueError: anything else (spaces, no brackets, no domain, a header break).
    """
    if not MESSAGE_ID_PATTERN.fullmatch(value or "") or len(value) > 250:
        raise ValueError(f"not a Message-ID of the form <left@domain>: {value!r}")
    return value


def date_header(moment: datetime) -> str:
    """The ``Date`` header for a message sent at ``moment`` (aware), in UTC."""
    return format_datetime(moment.astimezone(UTC))


def unsubscribe_headers(unsubscribe_url: str) -> dict[str, str]:
    """RFC 8058 headers: mail clients show an unsubscribe button that POSTs the URL
    (HTTPS in production, where ``PORTAL_BASE_URL`` is; plain http only in development)."""
    if not unsubscribe_url.startswith(("https://", "http://")):
        raise ValueError("the unsubscribe link must be an absolute http(s) URL")
    return {"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": ONE_CLICK}
