"""SQL pieces the funnel needs that SQLite and PostgreSQL spell differently.

Every helper returns a SQLAlchemy expression for the dialect of the session's bind, so
the insights queries are written once and stay set-based on both databases: time
differences in seconds, a timestamp's month, a timestamp's wall-clock weekday and time
in a named IANA zone (SQLite gets a small function for that, registered on every
connection by ``register_sqlite_functions``).
"""

import sqlite3
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from portal.extensions import db

# SQLAlchemy keeps SQLite timestamps as UTC text ("YYYY-MM-DD HH:MM:SS.ffffff") and
# times as "HH:MM:SS.ffffff", which is what ``_sqlite_local_clock`` ends with.


def is_postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def without_jit() -> None:
    """PostgreSQL: no JIT compilation for the rest of this transaction.

    The insights' statements are many small index probes; compiling them costs more
    (over 100 ms a statement at 100,000 prospects) than it saves.
    """
    if is_postgres():
        db.session.execute(sa.text("SET LOCAL jit = off"))


def seconds_between(later, earlier) -> sa.ColumnElement[float]:
    """``later - earlier`` in seconds (a float; NULL when either is NULL)."""
    if is_postgres():
        return sa.func.extract("epoch", later - earlier)
    return (sa.func.julianday(later) - sa.func.julianday(earlier)) * 86400.0


def month_of(stamp) -> sa.ColumnElement[str]:
    """The UTC month of a timestamp as "YYYY-MM"."""
    if is_postgres():
        return sa.func.to_char(sa.func.timezone("UTC", stamp), "YYYY-MM")
    return sa.func.strftime("%Y-%m", stamp)


def local_clock(stamp, zone) -> sa.ColumnElement:
    """``stamp`` on the wall clock of ``zone`` (a column), converted once per row.

    Read it with ``weekday_of`` and ``time_of``: a materialised CTE keeps the one
    conversion (SQLite's is a Python function, the costly part of the tours table).
    """
    if is_postgres():
        return sa.func.timezone(zone, stamp)
    return sa.func.local_clock(stamp, zone)


def weekday_of(clock) -> sa.ColumnElement[int]:
    """Monday 0 … Sunday 6 of a ``local_clock`` value."""
    if is_postgres():
        return sa.cast(sa.func.extract("isodow", clock), sa.Integer) - 1
    return sa.cast(sa.func.substr(clock, 1, 1), sa.Integer)


def time_of(clock) -> sa.ColumnElement:
    """The time of day of a ``local_clock`` value, comparable with a ``Time`` column."""
    if is_postgres():
        return sa.cast(clock, sa.Time)
    return sa.func.substr(clock, 3)


def _local(stamp: str | None, zone: str | None) -> datetime | None:
    if stamp is None or zone is None:
        return None
    try:
        return datetime.fromisoformat(stamp).replace(tzinfo=UTC).astimezone(ZoneInfo(zone))
    except (ValueError, ZoneInfoNotFoundError):
        return None


def _sqlite_local_clock(stamp: str | None, zone: str | None) -> str | None:
    """ "W HH:MM:SS.ffffff": the weekday (Monday 0) and the wall-clock time."""
    local = _local(stamp, zone)
    return None if local is None else f"{local.weekday()} {local:%H:%M:%S.%f}"


def _on_connect(dbapi_connection, connection_record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("local_clock", 2, _sqlite_local_clock, deterministic=True)


def register_sqlite_functions() -> None:
    """Give every SQLite connection ``local_clock`` (idempotent)."""
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)
