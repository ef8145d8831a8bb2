"""Text messages through a provider interface; development writes them to the dev outbox.

A real provider (an SMS gateway's HTTP API) implements ``SmsProvider.send``; the
development provider stores each text as an already-sent outbox row of kind ``sms``, so
``/dev/outbox`` shows it beside the emails and the mail sender never picks it up.
"""

from datetime import datetime
from typing import Protocol

from flask import current_app

from portal.extensions import db
from portal.models import OutboxEmail


class SmsProvider(Protocol):
    def send(self, *, to: str, text: str, message_id: str, now: datetime) -> None:
        """Hand one text to the provider or raise."""


class DevOutboxSms:
    """Development and tests: the text appears in the development outbox viewer."""

    def send(self, *, to: str, text: str, message_id: str, now: datetime) -> None:
        db.session.add(
            OutboxEmail(
                kind="sms",
                dedupe_key=f"sms:{message_id}",
                to_address=to,
                subject=f"SMS to {to}",
                text_body=text,
                message_id=message_id,
                status="sent",
                created_at=now,
                next_attempt_at=now,
                sent_at=now,
            )
        )
        db.session.flush()


def sms_provider() -> SmsProvider:
    """The configured provider (``FOLLOWUPS_SMS_PROVIDER``; only ``dev`` is built in)."""
    name = current_app.config.get("FOLLOWUPS_SMS_PROVIDER", "dev")
    if name != "dev":
        raise RuntimeError(f"unknown FOLLOWUPS_SMS_PROVIDER {name!r}")
    return DevOutboxSms()
