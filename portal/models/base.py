"""Shared column and constraint helpers for the models."""

from collections.abc import Iterable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


def one_of(column: str, values: Iterable[str]) -> str:
    """CHECK text ``column IN ('a', 'b')`` from the Python tuple of allowed values.

    Models build their CHECK constraints from the same tuples the code validates
    against, so the database and the Python side can never allow different values.
    """
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class UTCDateTime(TypeDecorator):
    """A timestamp stored as UTC and always read back time-zone aware.

    SQLite drops the offset; PostgreSQL keeps it. Normalising here means every
    comparison in Python is between aware datetimes, whichever database runs.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store aware UTC instants only")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
