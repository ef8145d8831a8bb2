"""Deliver the outbox: claim due rows with a lease, send them over one connection, mark.

Every path that sends mail comes here: the job scheduled after a commit
(``portal.mail.delivery``), ``flask mail send`` / ``flask mail worker``, RQ jobs and the
follow-ups worker. The guarantees:

- **Never twice at once.** A batch is claimed by one conditional UPDATE (queued, or
  "sending" with an expired lease → "sending" with this worker's id and a lease), with
  ``FOR UPDATE SKIP LOCKED`` on PostgreSQL; whatever two workers or a worker and a cron
  run do at the same moment, a row is theirs or not.
- **Nothing lost, at most one repeated.** Each message is marked (sent, retry, failed)
  in its own commit right after the server's answer, before the next one goes. A
  worker killed mid-batch leaves its rows "sending"; after the lease they are claimed
  again, and only the one message that was on the wire when it died can go twice,
  with the same Message-ID.
- **Nothing marked sent that the server did not accept.** 4xx (or a server that cannot
  be reached) → back to the queue with an exponential back-off; 5xx for the recipient
  → failed, and the address on the do-not-contact list (``portal.mail.suppression``).

The clock is a parameter: ``now`` decides what is due and when leases end; each
message is dated ``now`` plus the time the run has taken so far.
"""

import logging
import os
import secrets
import socket
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Protocol

import sqlalchemy as sa
from flask import current_app

from portal.extensions import db
from portal.mail.mime import build_message, envelope_sender, wire_bytes
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
    def send(self, envelope_from: str, to: str, data: bytes) -> str:
        """Hand one message to the server; raise ``TemporaryFailure``/``PermanentFailure``."""

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


def _due(now: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(
        sa.and_(OutboxEmail.status == "queued", OutboxEmail.next_attempt_at <= now),
        # Left by a worker that died (or hangs) after claiming: its lease is over.
        sa.and_(
            OutboxEmail.status == "sending",
            sa.or_(OutboxEmail.lease_expires_at < now, OutboxEmail.lease_expires_at.is_(None)),
        ),
    )


def backlog(now: datetime) -> int:
    """How many messages are due and not yet sent (queued and due, or left by a crash):
    staff see a warning when this piles up."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail).where(_due(now)))


def next_due_at() -> datetime | None:
    """When the earliest queued message becomes due (for scheduling the next run)."""
    return db.session.scalar(
        sa.select(sa.func.min(OutboxEmail.next_attempt_at)).where(OutboxEmail.status == "queued")
    )


def _dialect(executor) -> str:
    """The database of a Session or a Connection."""
    return (
        executor.dialect.name
        if isinstance(executor, sa.Connection)
        else executor.get_bind().dialect.name
    )


def claim_batch(
    now: datetime, *, worker_id: str, batch_size: int, lease: timedelta, session=None
) -> list[int]:
    """Take up to ``batch_size`` due rows for ``worker_id`` (commits); their ids.

    :param session: a Session or Connection to run in (default ``db.session``).

    One conditional UPDATE: the condition is checked again on every row it writes, so
    a row another worker took in the meantime is left alone (SQLite serialises writers;
    PostgreSQL re-checks the row after the other's commit and skips locked ones).
    """
    pick = (
        sa.select(OutboxEmail.id)
        .where(_due(now))
        .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id)
        .limit(batch_size)
    )
    session = session or db.session
    if _dialect(session) == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    # A CTE is evaluated once; a LIMIT subquery inside IN may be re-scanned by PostgreSQL
    # and then yield more rows than the limit.
    picked = pick.cte("picked")
    claimed = session.scalars(
        sa.update(OutboxEmail)
        .where(OutboxEmail.id.in_(sa.select(picked.c.id)), _due(now))
        .values(
            status="sending",
            claimed_by=worker_id,
            claimed_at=now,
            lease_expires_at=now + lease,
            attempts=OutboxEmail.attempts + 1,
        )
        .returning(OutboxEmail.id)
        .execution_options(synchronize_session=False)
    ).all()
    session.commit()
    return sorted(claimed)


_OUTBOX = OutboxEmail.__table__
_MARKS: dict[tuple[str, ...], sa.Update] = {}


def _mark_statement(columns: tuple[str, ...]) -> sa.Update:
    """UPDATE … WHERE the row is still ours, built once per set of columns (the hot path:
    building and caching a statement per message cost more than the commit)."""
    statement = _MARKS.get(columns)
    if statement is None:
        statement = _MARKS[columns] = (
            sa.update(_OUTBOX)
            .where(
                _OUTBOX.c.id == sa.bindparam("mark_id"),
                _OUTBOX.c.status == "sending",
                _OUTBOX.c.claimed_by == sa.bindparam("mark_worker"),
            )
            .values(
                claimed_by=None,
                lease_expires_at=None,
                **{name: sa.bindparam(f"new_{name}") for name in columns},
            )
        )
    return statement


def _mark(email_id: int, worker_id: str, *, session=None, **values) -> bool:
    """Write the outcome of one claimed row, only while it is still ours; commits."""
    session = session or db.session
    columns = tuple(sorted(values))
    params = {"mark_id": email_id, "mark_worker": worker_id}
    params |= {f"new_{name}": values[name] for name in columns}
    result = session.execute(_mark_statement(columns), params)
    session.commit()
    if result.rowcount != 1:
        log.warning("outbox email %s: lease lost before it could be marked %s", email_id, values)
        return False
    return True


def _release(session, ids: list[int], worker_id: str, not_before: datetime) -> None:
    """Give untried rows back to the queue (their claim did not count as an attempt)."""
    if not ids:
        return
    session.execute(
        sa.update(OutboxEmail)
        .where(
            OutboxEmail.id.in_(ids),
            OutboxEmail.status == "sending",
            OutboxEmail.claimed_by == worker_id,
        )
        .values(
            status="queued",
            claimed_by=None,
            lease_expires_at=None,
            attempts=OutboxEmail.attempts - 1,
            next_attempt_at=not_before,
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()


def _renew(session, ids: list[int], worker_id: str, until: datetime) -> None:
    session.execute(
        sa.update(OutboxEmail)
        .where(
            OutboxEmail.id.in_(ids),
            OutboxEmail.status == "sending",
            OutboxEmail.claimed_by == worker_id,
        )
        .values(lease_expires_at=until)
        .execution_options(synchronize_session=False)
    )
    session.commit()


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
        for index, row in enumerate(rows):
            if time.monotonic() > renew_at:  # a slow server: keep the rest of the batch ours
                remaining = [r.id for r in rows[index:]]
                _renew(self.session, remaining, self.worker_id, self.clock() + self.lease)
                renew_at = time.monotonic() + self.lease.total_seconds() / 2
            if not row.transactional and row.to_normalised in self.blocked:
                self._outcome(row, "suppressed", status="suppressed", last_error="do-not-contact")
                continue
            if not self.send(row):
                untried = [r.id for r in rows[index + 1 :]]
                _release(self.session, untried, self.worker_id, self.now + SERVER_DOWN_PAUSE)
                return False
        return True

    def send(self, row) -> bool:
        moment = self.clock()
        try:
            data = wire_bytes(build_message(row, from_address=self.from_address, sent_at=moment))
        except Exception as exc:  # a row no message can be built from: never retried
            log.exception("outbox email %s cannot be built", row.id)
            self._outcome(row, "failed", status="failed", last_error=f"not built: {exc!r}"[:1000])
            return True
        try:
            self.transport.send(self.envelope_from, row.to_address, data)
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
        if _mark(row.id, self.worker_id, session=self.session, **values):
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
    with db.engine.connect() as pooled, _marks_survive_our_crash(pooled):
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


@contextmanager
def _marks_survive_our_crash(connection: sa.Connection):
    """Commit the sender's marks durably against a crash of this process (the server has
    them), without waiting for the disk on every message.

    The per-message commit is what keeps a killed sender from repeating more than the one
    message on the wire; making each wait for an fsync would cap sending at the disk's
    flush rate (~4 ms a commit here). PostgreSQL: ``synchronous_commit = off`` (a crash of
    the database server itself may lose the last few hundred milliseconds of marks, and so
    repeat those messages); SQLite in WAL mode: ``synchronous = NORMAL`` (the same, for a
    power loss). Only on this run's own connection, restored before it goes back.
    """
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.exec_driver_sql("SET synchronous_commit TO OFF")
        connection.commit()
        try:
            yield
        finally:
            connection.rollback()
            connection.exec_driver_sql("RESET synchronous_commit")
            connection.commit()
    elif dialect == "sqlite":
        before = connection.exec_driver_sql("PRAGMA synchronous").scalar()
        connection.exec_driver_sql("PRAGMA synchronous = NORMAL")
        connection.commit()  # each statement of the run then begins its own transaction
        try:
            yield
        finally:
            connection.rollback()
            connection.exec_driver_sql(f"PRAGMA synchronous = {int(before)}")
            connection.commit()
    else:
        yield
