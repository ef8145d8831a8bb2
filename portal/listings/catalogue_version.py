"""The catalogue version, and what listing pages keep per process until it changes.

Cards, search pages and a listing's public fragments change only when catalogue rows
do (an import, the demo load, a studio publish or restore, a neighbourhood refresh),
yet each page built them from several queries on every request. Now every write to a
catalogue model raises one counter row in the same transaction (a session listener,
so no write path can forget it), and a request reads that row once: what this
process kept for an older version is dropped. The counter lives in the database, so
every gunicorn worker sees a publish on its next request.

Only catalogue facts are kept. Whatever belongs to the person browsing (fit,
favourites, saved places and their commutes) is never put in the cache.
"""

import threading
from collections.abc import Callable, Hashable
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from portal.extensions import db
from portal.kept import Kept
from portal.models import (
    CatalogueVersion,
    ContentRevision,
    GeoRegion,
    InternetService,
    Media,
    MediaAsset,
    NeighbourhoodSummary,
    Property,
    Unit,
)

# What listing pages, cards and their fragments are made of.
CATALOGUE_MODELS = (
    Unit,
    Property,
    InternetService,
    Media,
    MediaAsset,
    ContentRevision,
    GeoRegion,
    NeighbourhoodSummary,
)
_CATALOGUE_TABLES = frozenset(model.__table__.name for model in CATALOGUE_MODELS)
_EXTENSION = "catalogue_cache"
# In ``Session.info`` while the transaction holds a raise of the version not yet committed.
_UNCOMMITTED = "catalogue_version_raised"
# In the WSGI environ: (the transaction, the version it read) for this request.
_READ_IN_REQUEST = "portal.catalogue_version"
# Enough for every card of a large catalogue and the usual search pages; the oldest go first.
MAX_ENTRIES = 4096


_READ = sa.select(CatalogueVersion.__table__.c.version).where(CatalogueVersion.__table__.c.id == 1)


def catalogue_version() -> int:
    """The current version (one primary-key read); 0 before any change was recorded.

    Read on the session's connection without the ORM (half the time of a session
    query), once per request and transaction: a page that asks again (a brief looks up
    regions six times) gets the version it started with, so the whole page is of one
    version. The flush first raises the version for changes this session still holds,
    and a raise forgets the version read.
    """
    session = db.session()
    session.flush()
    connection = session.connection()
    transaction = session.get_transaction()
    memo = request.environ if has_request_context() else {}
    kept = memo.get(_READ_IN_REQUEST)
    if kept is not None and kept[0] is transaction:
        return kept[1]
    version = connection.execute(_READ).scalar() or 0
    memo[_READ_IN_REQUEST] = (transaction, version)
    return version


def _bump(session: Session) -> None:
    """Raise the version in the session's transaction, and note that it holds a raise."""
    session.info[_UNCOMMITTED] = True
    if has_request_context():
        request.environ.pop(_READ_IN_REQUEST, None)
    connection = session.connection()
    table = CatalogueVersion.__table__
    raised = connection.execute(
        table.update().where(table.c.id == 1).values(version=table.c.version + 1)
    )
    if raised.rowcount == 0:  # a schema made by create_all (tests) starts without the row
        connection.execute(table.insert().values(id=1, version=1))


def _after_flush(session: Session, flush_context) -> None:
    changed = (*session.new, *session.deleted)
    if any(isinstance(obj, CATALOGUE_MODELS) for obj in changed) or any(
        # Dirty only through a collection (a child added): that child is counted above.
        isinstance(obj, CATALOGUE_MODELS) and session.is_modified(obj, include_collections=False)
        for obj in session.dirty
    ):
        _bump(session)


def _on_statement(state: ORMExecuteState) -> None:
    """Bulk INSERT, UPDATE and DELETE statements bypass the flush: look at their table."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and table.name in _CATALOGUE_TABLES:
        _bump(state.session)


class CatalogueCache:
    """Values derived from catalogue rows alone, for one version at a time (thread-safe).

    A value made for an older version than the newest seen (a request that read the
    version just before a publish committed) is returned but not kept.
    """

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.version: int | None = None
        self._kept = Kept(max_entries)
        self._lock = threading.Lock()

    @property
    def max_entries(self) -> int:
        return self._kept.max_entries

    def get(self, version: int, key: Hashable, make: Callable[[], Any]) -> Any:
        """The value kept for ``key`` at ``version``, made (and kept) if there is none."""
        value = self.peek(version, key)
        if value is None:
            value = make()
            self.put(version, key, value)
        return value

    def peek(self, version: int, key: Hashable) -> Any:
        """The value kept for ``key`` at ``version``, or None."""
        with self._lock:
            if not self._catch_up(version):
                return None
            return self._kept.peek(key)

    def put(self, version: int, key: Hashable, value: Any) -> None:
        if _raised_in_this_transaction():
            # Made from changes that may yet roll back, for a version number that the
            # next committed change would then reuse: never keep it.
            return
        with self._lock:
            if self._catch_up(version):
                self._kept.put(key, value)

    def _catch_up(self, version: int) -> bool:
        """Forget what older versions kept; is ``version`` the newest seen?"""
        if self.version is None or version > self.version:
            self.version = version
            self._kept.clear()
        return version == self.version

    def __len__(self) -> int:
        return len(self._kept)


def _raised_in_this_transaction() -> bool:
    return has_app_context() and bool(db.session.info.get(_UNCOMMITTED))


def _transaction_ended(session: Session) -> None:
    session.info.pop(_UNCOMMITTED, None)


def catalogue_cache() -> CatalogueCache:
    """This app's cache (one per app, so two apps in one process never share one)."""
    return current_app.extensions[_EXTENSION]


def register(app: Flask) -> None:
    """Give the app its cache; listen to every session once per process."""
    app.extensions[_EXTENSION] = CatalogueCache()
    if getattr(register, "_done", False):
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _on_statement)
    event.listen(Session, "after_commit", _transaction_ended)
    event.listen(Session, "after_rollback", _transaction_ended)
    register._done = True
