"""The index behind a short staff search: the start of a word in name, email or phone.

A query of one or two characters has no trigram (``portal.models.prospect_search``),
and as a substring it would match almost everyone anyway. It matches the start of a
word instead ("jo" finds John Smith, Mary Jones and jo.k@example.com), which an index
of words serves on each database:

* **SQLite**: an FTS5 table with the ``unicode61`` tokenizer (diacritics kept, case
  folded for every alphabet) and prefix indexes of one and two characters, whose
  content is the ``prospect`` table, kept current by triggers on it like the trigram
  table. A word is a run of letters and digits: unicode61 splits on everything else,
  so ``jo.k@example.com`` is the words jo, k, example and com, ``+358 40`` is 358 and 40.
* **PostgreSQL**: a GIN index over ``to_tsvector('simple', …)`` of the same lower-cased
  joined text as the trigram index. Its parser keeps an email, a host or a hyphenated
  word whole, so every character that is not a letter or digit is first turned into a
  space: the words are then the runs of letters and digits, the same as SQLite's. Built
  in, no extension needed.

``query_words`` splits the query into words the same way; each must start a word of
the prospect. Both are made by ``create_all`` (the listeners below) and by migration
``a7d3f1c9e2b4``. The SQLite caveat of the trigram table holds here too: a migration
that recreates ``prospect`` in batch mode must run ``create_sqlite_words`` again.
"""

import unicodedata

import sqlalchemy as sa
from sqlalchemy import event

from portal.models.prospect import Prospect
from portal.models.prospect_search import POSTGRES_SEARCH_TEXT
from portal.models.prospect_search import include_object as include_trigram_object

WORDS_TABLE = "prospect_words"
WORDS_INDEX = "ix_prospect_words"

_WORDS_INSERT = (
    "INSERT INTO prospect_words(rowid, name, email, phone) "
    "VALUES (new.id, new.name, new.email, new.phone);"
)
_WORDS_DELETE = (
    "INSERT INTO prospect_words(prospect_words, rowid, name, email, phone) "
    "VALUES ('delete', old.id, old.name, old.email, old.phone);"
)
SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS prospect_words USING fts5("
    "name, email, phone, content='prospect', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0', prefix='1 2')",
    "CREATE TRIGGER IF NOT EXISTS prospect_words_ai AFTER INSERT ON prospect "
    "BEGIN " + _WORDS_INSERT + " END",
    "CREATE TRIGGER IF NOT EXISTS prospect_words_ad AFTER DELETE ON prospect "
    "BEGIN " + _WORDS_DELETE + " END",
    "CREATE TRIGGER IF NOT EXISTS prospect_words_au AFTER UPDATE OF name, email, phone "
    "ON prospect BEGIN " + _WORDS_DELETE + " " + _WORDS_INSERT + " END",
)
SQLITE_REBUILD = "INSERT INTO prospect_words(prospect_words) VALUES ('rebuild')"
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS prospect_words_ai",
    "DROP TRIGGER IF EXISTS prospect_words_ad",
    "DROP TRIGGER IF EXISTS prospect_words_au",
    "DROP TABLE IF EXISTS prospect_words",
)
# The list's query repeats this very expression, so the planner matches it to the index.
POSTGRES_WORDS = (
    "to_tsvector('simple'::regconfig, regexp_replace("
    + POSTGRES_SEARCH_TEXT
    + ", '[^[:alnum:]]+', ' ', 'g'))"
)
POSTGRES_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_prospect_words ON prospect USING gin (("
    + POSTGRES_WORDS.replace("prospect.", "")
    + "))"
)


def is_word_character(ch: str) -> bool:
    """A letter, a digit or a private-use character: unicode61's token characters."""
    category = unicodedata.category(ch)
    return category[0] in "LN" or category == "Co"


def query_words(q: str) -> list[str]:
    """The words of ``q`` as the index splits text (case is left to each database to
    fold, as it folds the index): ``"j."`` is ``["j"]``, ``"%"`` none."""
    return "".join(ch if is_word_character(ch) else " " for ch in q).split()


def create_sqlite_words(conn: sa.Connection) -> None:
    """The FTS5 table and its triggers, filled from the prospects already stored."""
    for statement in SQLITE_CREATE:
        conn.exec_driver_sql(statement)
    conn.exec_driver_sql(SQLITE_REBUILD)


def create_word_index(conn: sa.Connection) -> None:
    if conn.dialect.name == "sqlite":
        create_sqlite_words(conn)
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(POSTGRES_INDEX)


def drop_word_index(conn: sa.Connection) -> None:
    if conn.dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            conn.exec_driver_sql(statement)
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP INDEX IF EXISTS ix_prospect_words")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's filter: both search indexes are DDL of their own, not a model's."""
    if type_ == "table" and name and name.startswith(WORDS_TABLE):
        return False
    if type_ == "index" and name == WORDS_INDEX:
        return False
    return include_trigram_object(obj, name, type_, reflected, compare_to)


event.listen(Prospect.__table__, "after_create", lambda target, conn, **kw: create_word_index(conn))
event.listen(Prospect.__table__, "before_drop", lambda target, conn, **kw: drop_word_index(conn))
