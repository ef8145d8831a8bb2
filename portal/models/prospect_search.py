"""The index behind the staff search: a substring of a prospect's name, email or phone.

The staff prospects list matches its free text as a case-insensitive substring of
any of the three fields. A ``LIKE '%…%'`` cannot use a B-tree, so without help the
search reads every prospect. Each database gets a trigram index instead:

* **PostgreSQL**: a GIN index with ``pg_trgm``'s ``gin_trgm_ops`` over the lower-cased
  name, email and phone joined by ``chr(1)``, which serves the very ``LIKE`` the list runs.
  ``CREATE EXTENSION pg_trgm`` needs the right to create extensions; where it is
  refused (or the extension is not installed), no index is made, the same query
  still answers correctly, only by reading the table (README "Production").
* **SQLite**: an FTS5 table with the ``trigram`` tokenizer whose content is the
  ``prospect`` table, kept current by triggers on it (so bulk inserts and every
  service that writes a prospect are covered alike). A phrase query of three or more
  characters is an exact, case-insensitive substring match per column.

Both are made by ``create_all`` (the listeners below) and by migration ``e5b1a7c3d902``.
Trigram indexes cannot serve a query shorter than ``MIN_INDEXED_CHARS``; the list
then falls back to the plain scan (``portal.prospects.staff_list``).

SQLite caveat: a later migration that recreates ``prospect`` in batch mode drops the
triggers; it must run ``create_sqlite_search`` again.
"""

import logging

import sqlalchemy as sa
from sqlalchemy import event

from portal.models.prospect import Prospect

logger = logging.getLogger(__name__)

MIN_INDEXED_CHARS = 3
FTS_TABLE = "prospect_search"
TRGM_INDEX = "ix_prospect_search_trgm"

# Plain literals (the names are constants): the DDL reads as it runs.
_FTS_INSERT = (
    "INSERT INTO prospect_search(rowid, name, email, phone) "
    "VALUES (new.id, new.name, new.email, new.phone);"
)
_FTS_DELETE = (
    "INSERT INTO prospect_search(prospect_search, rowid, name, email, phone) "
    "VALUES ('delete', old.id, old.name, old.email, old.phone);"
)
SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS prospect_search USING fts5("
    "name, email, phone, content='prospect', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS prospect_search_ai AFTER INSERT ON prospect "
    "BEGIN " + _FTS_INSERT + " END",
    "CREATE TRIGGER IF NOT EXISTS prospect_search_ad AFTER DELETE ON prospect "
    "BEGIN " + _FTS_DELETE + " END",
    "CREATE TRIGGER IF NOT EXISTS prospect_search_au AFTER UPDATE OF name, email, phone "
    "ON prospect BEGIN " + _FTS_DELETE + " " + _FTS_INSERT + " END",
)
SQLITE_REBUILD = "INSERT INTO prospect_search(prospect_search) VALUES ('rebuild')"
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS prospect_search_ai",
    "DROP TRIGGER IF EXISTS prospect_search_ad",
    "DROP TRIGGER IF EXISTS prospect_search_au",
    "DROP TABLE IF EXISTS prospect_search",
)
# One expression, the three fields joined by a character no search can hold (control
# characters are refused at input), so a substring of it is a substring of one field.
# One index scan, not three: with three, PostgreSQL costed the bitmap scans above a
# sequential scan and read the whole table (350 ms) for a rare term. The list's query
# uses the very same text, so the planner matches it to the index.
POSTGRES_SEARCH_TEXT = (
    "lower(coalesce(prospect.name, '') || chr(1) || coalesce(prospect.email, '') "
    "|| chr(1) || coalesce(prospect.phone, ''))"
)
FIELD_SEPARATOR = "\x01"
POSTGRES_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_prospect_search_trgm ON prospect USING gin "
    "((" + POSTGRES_SEARCH_TEXT.replace("prospect.", "") + ") gin_trgm_ops)"
)


def fts_table(name: str = FTS_TABLE) -> sa.TableClause:
    """An FTS5 table (this trigram one, or another, e.g. the word index) as a lightweight
    table for queries: it is not in the metadata."""
    return sa.table(name, sa.column("rowid", sa.Integer), sa.column(name))


def create_sqlite_search(conn: sa.Connection) -> None:
    """The FTS5 table and its triggers, filled from the prospects already stored."""
    for statement in SQLITE_CREATE:
        conn.exec_driver_sql(statement)
    conn.exec_driver_sql(SQLITE_REBUILD)


def create_postgres_search(conn: sa.Connection) -> bool:
    """``pg_trgm`` (if this role may create it) and the GIN index; False without them."""
    installed = conn.scalar(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"))
    if not installed:
        try:
            with conn.begin_nested():  # a refused CREATE EXTENSION must not end the transaction
                conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except sa.exc.DBAPIError as exc:
            logger.warning(
                "pg_trgm unavailable (%s): the staff prospect search reads the whole table",
                exc.orig,
            )
            return False
    conn.exec_driver_sql(POSTGRES_INDEX)
    return True


def create_search_index(conn: sa.Connection) -> None:
    if conn.dialect.name == "sqlite":
        create_sqlite_search(conn)
    elif conn.dialect.name == "postgresql":
        create_postgres_search(conn)


def drop_search_index(conn: sa.Connection) -> None:
    if conn.dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            conn.exec_driver_sql(statement)
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP INDEX IF EXISTS ix_prospect_search_trgm")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's filter: the search index is DDL of its own, not a model's table or index."""
    if type_ == "table" and name and name.startswith(FTS_TABLE):
        return False
    return not (type_ == "index" and name == TRGM_INDEX)


event.listen(
    Prospect.__table__, "after_create", lambda target, conn, **kw: create_search_index(conn)
)
event.listen(Prospect.__table__, "before_drop", lambda target, conn, **kw: drop_search_index(conn))
