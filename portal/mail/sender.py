"""Deliver the outbox: claim due rows with a lease, send them over one connection, mark.

Every path that sends mail comes here: the job scheduled after a commit
(``portal.mail.delivery``), ``flask mail send`` / ``flask mail worker``, RQ jobs and the
follow-ups worker. The guarantees:

- **Never twice at once.** A batch is claimed by one conditional UPDATE
  (``portal.mail.outbox_leases``); whatever two workers or a worker and a cron run do at
  the same moment, a row is theirs or not.
- **Nothing lost, at most one repeated.** Each message's outcome (sent, retry, failed)
  is committed on its own before the next message can be accepted: the transport
  writes the next message and, before the end of data that lets the server accept it,
  calls back for the previous outcome to be recorded. So the database round trip runs
  while the server reads the next message, and at any moment at most one accepted
  message is unrecorded. A worker killed mid-batch leaves its rows "sending"; after the
  lease they are claimed again, and only that one message can go twice, with the same
  Message-ID.
- **Nothing marked sent that the server did not accept.** 4xx (or a server that cannot
  be reached) → back to the queue with an exponential back-off; 5xx for the recipient
  → failed, and the address on the do-not-contact list (``portal.mail.suppression``).

The clock is a parameter: ``now`` decides what is due and when leases end; each
message is dated ``now`` plus the time the run has taken so far, taken when it is built
(the next message is built while the server answers the current one, a millisecond or
two before it goes).
"""

import logging
import os
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Protocol

import sqlalchemy as sa
from flask import current_app

from portal.extensions import db
from portal.mail.mime import build_message, envelope_sender, wire_bytes
from portal.mail.outbox_leases import (
    claim_batch,
    mark,
    marks_survive_our_crash,
    release,
    renew,
)
from portal.mail.smtp import PermanentFailure, ServerUnavailable, SmtpTransport, TemporaryFailure
from portal.mail.suppression import suppress, suppressed_among
from portal.models import OutboxEmail

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)
# With the server unreachable the rest of a batch waits this long, untried.
SERVER_DOWN_PAUSE = timedelta(minutes=1)
DEFAULT_LEASE = timedelta(minutes=5)
DEFAULT_BATCH_SIZE = 100

_FIELDS = (
    OutboxEmail.id,
    OutboxEmail.to_address,
    OutboxEmail.to_normalised,
    OutboxEmail.subject,
    OutboxEmail.text_body,
    OutboxEmail.html_body,
    OutboxEmail.attachments,
    OutboxEmail.headers,
    OutboxEmail.message_id,
    OutboxEmail.transactional,
    OutboxEmail.attempts,
)


class Transport(Protocol):
    def send(self, envelope_from: str, to: str, data: bytes, **hooks: Callable[[], None]) -> str:
        """Hand one message to the server; raise ``TemporaryFailure``/``PermanentFailure``.

        The hooks are ``before_end`` and ``while_waiting``, as ``SmtpTransport.send``
        calls them; a transport that cannot split a message calls ``before_end`` first.
        """

    def close(self) -> None: ...


@dataclass
class DeliveryReport:
    """What one ``deliver_due`` run did."""

    claimed: int = 0
    sent: int = 0
    retry: int = 0
    failed: int = 0
    suppressed: int = 0
    lost_lease: int = 0  # marked by another worker after our lease ran out (logged)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed try: 1, 2, 4, 8 … minutes, at most 6 h."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class _Run:
    """One ``deliver_due`` call: its clock, worker id, transport and tally."""

    def __init__(self, session, now, worker_id, lease, transport, from_address):
        self.session = session
        self.now, self.worker_id, self.lease = now, worker_id, lease
        self.transport, self.from_address = transport, from_address
        self.envelope_from = envelope_sender(from_address)
        self.started = time.monotonic()
        self.report = DeliveryReport()
        self.blocked: set[str] = set()  # suppressed addresses met in this run
        # The last outcome, written before the next message can be accepted (``record``).
        self.unrecorded: tuple[int, str, dict] | None = None
        # The next message, built while the server was answering the one before.
        self.prepared: dict[int, tuple[datetime, bytes | Exception]] = {}

    def clock(self) -> datetime:
        return self.now + timedelta(seconds=time.monotonic() - self.started)

    def batch(self, ids: list[int]) -> bool:
        """Send the claimed rows ``ids`` in order; False when the server is unreachable."""
        rows = self.session.execute(
            sa.select(*_FIELDS).where(OutboxEmail.id.in_(ids)).order_by(OutboxEmail.id)
        ).all()
        self.blocked |= suppressed_among(
            (r.to_normalised for r in rows if not r.transactional), session=self.session
        )
        self.session.commit()  # end the read: each mark below starts with its write
        renew_at = self.started + self.lease.total_seconds() / 2
        try:
            for index, row in enumerate(rows):
                if time.monotonic() > renew_at:  # a slow server: keep the rest of the batch
                    self.record()
                    remaining = [r.id for r in rows[index:]]
                    renew(self.session, remaining, self.worker_id, self.clock() + self.lease)
                    renew_at = time.monotonic() + self.lease.total_seconds() / 2
                if self._blocked(row):
                    self._outcome(
                        row, "suppressed", status="suppressed", last_error="do-not-contact"
                    )
                    continue
                upcoming = next((r for r in rows[index + 1 :] if not self._blocked(r)), None)
                if not self.send(row, upcoming):
                    self.record()
                    untried = [r.id for r in rows[index + 1 :]]
                    release(self.session, untried, self.worker_id, self.now + SERVER_DOWN_PAUSE)
                    return False
        finally:
            self.record()
            self.prepared.clear()
        return True

    def _blocked(self, row) -> bool:
        return not row.transactional and row.to_normalised in self.blocked

    def prepare(self, row) -> tuple[datetime, bytes | Exception]:
        """``row`` as the bytes to send, dated now (or what stopped it being built)."""
        moment = self.clock()
        try:
            data = wire_bytes(build_message(row, from_address=self.from_address, sent_at=moment))
        except Exception as exc:  # reported when the row's turn comes
            return moment, exc
        return moment, data

    def send(self, row, upcoming=None) -> bool:
        moment, data = self.prepared.pop(row.id, None) or self.prepare(row)
        if isinstance(data, Exception):  # a row no message can be built from: never retried
            log.error("outbox email %s cannot be built", row.id, exc_info=data)
            self._outcome(row, "failed", status="failed", last_error=f"not built: {data!r}"[:1000])
            return True

        def build_upcoming() -> None:
            if upcoming is not None:
                self.prepared[upcoming.id] = self.prepare(upcoming)

        try:
            self.transport.send(
                self.envelope_from,
                row.to_address,
                data,
                before_end=self.record,
                while_waiting=build_upcoming,
            )
        except PermanentFailure as exc:
            log.warning("outbox email %s refused for good: %s", row.id, exc.detail)
            suppress(
                row.to_address,
                reason="rejected",
                now=moment,
                detail=exc.detail,
                outbox_email_id=row.id,
                session=self.session,
            )
            self.blocked.add(row.to_normalised)
            self._outcome(row, "failed", status="failed", last_error=exc.detail)
        except TemporaryFailure as exc:
            log.warning("outbox email %s not sent (try %s): %s", row.id, row.attempts, exc.detail)
            if row.attempts >= MAX_ATTEMPTS:
                self._outcome(row, "failed", status="failed", last_error=exc.detail)
            else:
                self._outcome(
                    row,
                    "retry",
                    status="queued",
                    last_error=exc.detail,
                    next_attempt_at=self.now + backoff(row.attempts),
                )
            return not isinstance(exc, ServerUnavailable)
        else:
            self._outcome(row, "sent", status="sent", sent_at=moment, last_error=None)
        return True

    def _outcome(self, row, counter: str, **values) -> None:
        """Note ``row``'s outcome; it is written by the next ``record`` (the transport
        calls it before the next message can be accepted, the batch at its end)."""
        self.record()
        self.unrecorded = (row.id, counter, values)

    def record(self) -> None:
        """Write the outcome not yet written, if any (commits)."""
        if self.unrecorded is None:
            return
        email_id, counter, values = self.unrecorded
        self.unrecorded = None
        if mark(email_id, self.worker_id, session=self.session, **values):
            setattr(self.report, counter, getattr(self.report, counter) + 1)
        else:
            self.report.lost_lease += 1


def deliver_due(
    now: datetime,
    *,
    worker_id: str | None = None,
    batch_size: int | None = None,
    lease: timedelta | None = None,
    transport: Transport | None = None,
    max_batches: int | None = None,
) -> DeliveryReport:
    """Send every message due at ``now``, batch after batch, over one connection.

    A job or CLI boundary: it commits (after the claim and after every message).

    :param worker_id: names this sender in the rows it holds (default: host, pid, random).
    :param batch_size: rows claimed at a time (``MAIL_BATCH_SIZE``).
    :param lease: how long claimed rows stay this worker's (``MAIL_LEASE_SECONDS``); a
        slow batch renews it.
    :param transport: the SMTP connection, closed at the end of the run (default: one to
        ``MAIL_SMTP_*``). Without a transport
        and without ``MAIL_SMTP_HOST`` nothing is sent: in development mail stays in the
        outbox, readable at /dev/outbox.
    :param max_batches: stop after this many batches (default: until nothing is due).
    """
    config = current_app.config
    if transport is None and not config.get("MAIL_SMTP_HOST"):
        return DeliveryReport()
    worker_id = worker_id or default_worker_id()
    batch_size = batch_size or int(config.get("MAIL_BATCH_SIZE") or DEFAULT_BATCH_SIZE)
    lease = lease or timedelta(seconds=int(config.get("MAIL_LEASE_SECONDS") or 300))
    transport = transport or SmtpTransport.from_config(config)
    # One connection of its own, used directly: the ORM session's bookkeeping would cost
    # more per message than the SMTP exchange.
    with db.engine.connect() as pooled, marks_survive_our_crash(pooled):
        # Every statement of the run is one atomic step (the claim, one row's outcome), so
        # each commits on its own: one round trip to the database per message, not three.
        connection = pooled.execution_options(isolation_level="AUTOCOMMIT")
        run = _Run(connection, now, worker_id, lease, transport, config["MAIL_FROM"])
        batches = 0
        try:
            while max_batches is None or batches < max_batches:
                ids = claim_batch(
                    run.clock(),
                    worker_id=worker_id,
                    batch_size=batch_size,
                    lease=lease,
                    session=connection,
                )
                run.report.claimed += len(ids)
                batches += 1
                if not ids or not run.batch(ids) or len(ids) < batch_size:
                    break
        finally:
            transport.close()
    return run.report
