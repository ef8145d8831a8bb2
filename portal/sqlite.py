"""SQLite settings for concurrent writers (gunicorn workers, threads).

WAL lets readers run while one connection writes, and the busy timeout makes a
second writer wait for the lock instead of failing at once with "database is
locked"; tour booking relies on both when many visitors book at the same moment.
``unicode_lower`` is Python's ``str.lower``: SQLite's own ``lower`` folds only ASCII,
and the staff search must find "Ärjä" by "ärjä" on both databases.
"""

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 15_000


def _unicode_lower(text: str | None) -> str | None:
    return text.lower() if isinstance(text, str) else text


def _on_connect(dbapi_connection, connection_record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.create_function("unicode_lower", 1, _unicode_lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if cursor.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
            cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()


def register_sqlite_pragmas() -> None:
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)
