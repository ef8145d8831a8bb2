"""The outbox rows a sender holds: claimed with a lease, renewed, released, marked.

A batch is claimed by one conditional UPDATE (queued, or "sending" with an expired lease
→ "sending" with the worker's id and a lease), with ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL; every later write to a claimed row checks it is still the worker's, so a
worker whose lease ran out cannot overwrite what its successor did.
"""

import logging
from contextlib import contextmanager
from datetime import datetime, timedelta

import sqlalchemy as sa

from portal.extensions import db
from portal.models import OutboxEmail

log = logging.getLogger(__name__)


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


def mark(email_id: int, worker_id: str, *, session=None, **values) -> bool:
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


def _still_ours(ids: list[int], worker_id: str) -> sa.Update:
    """An UPDATE of those of ``ids`` this worker still holds (a lease taken over is not)."""
    return sa.update(OutboxEmail).where(
        OutboxEmail.id.in_(ids),
        OutboxEmail.status == "sending",
        OutboxEmail.claimed_by == worker_id,
    )


def release(session, ids: list[int], worker_id: str, not_before: datetime) -> None:
    """Give untried rows back to the queue (their claim did not count as an attempt)."""
    if not ids:
        return
    session.execute(
        _still_ours(ids, worker_id)
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


def renew(session, ids: list[int], worker_id: str, until: datetime) -> None:
    """Extend the lease on rows still ours (a slow server must not let them expire)."""
    session.execute(
        _still_ours(ids, worker_id)
        .values(lease_expires_at=until)
        .execution_options(synchronize_session=False)
    )
    session.commit()


@contextmanager
def marks_survive_our_crash(connection: sa.Connection):
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
