"""The staff prospects list: search and filters over every prospect a staff user sees.

One query for the page and ``GET /api/v1/staff/prospects``: filtered in SQL, restricted
by ``portal.staff.visibility``, newest first, paged by keyset (``after`` = the last id
of the previous page) so page 400 costs what page 1 costs. The indexes it leans on are
in the models (``ix_prospect_stage_id``, ``ix_prospect_assigned_agent_id``,
``ix_prospect_last_contact``, ``ix_tour_property_starts``).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import ACTIVE_STATUSES, Prospect, StaffUser, Tour
from portal.models.prospect_search import (
    FIELD_SEPARATOR,
    FTS_TABLE,
    MIN_INDEXED_CHARS,
    POSTGRES_SEARCH_TEXT,
    fts_table,
)
from portal.models.prospect_word_search import (
    POSTGRES_WORDS,
    WORDS_TABLE,
    query_words,
)
from portal.staff.visibility import visible_prospects

LAST_CONTACT_CHOICES = {
    "week": "In the last 7 days",
    "month": "In the last 30 days",
    "older": "More than 30 days ago",
    "never": "Never",
}
PER_PAGE = 25
MAX_PER_PAGE = 100
QUERY_MAX = 100


@dataclass(frozen=True)
class ProspectFilters:
    """What the list is narrowed to; None (or "") means no filter."""

    q: str = ""
    stage: str | None = None
    property_id: int | None = None
    agent_id: int | None = None
    source: str = ""
    last_contact: str | None = None
    upcoming_tour: bool | None = None


@dataclass(frozen=True)
class ProspectRow:
    prospect: Prospect
    next_tour: Tour | None


@dataclass(frozen=True)
class ProspectPage:
    rows: list[ProspectRow]
    next_after: int | None  # the ``after`` of the next page; None on the last page


def source_of(column=Prospect.first_touch) -> sa.ColumnElement:
    """The first-touch source (``utm_source``) as SQL text, the same on both databases."""
    return column["utm_source"].as_string()


def _upcoming(now: datetime) -> sa.Exists:
    return (
        sa.select(Tour.id)
        .where(
            Tour.prospect_id == Prospect.id,
            Tour.status.in_(ACTIVE_STATUSES),
            Tour.starts_at >= now,
        )
        .exists()
    )


def search_text(stmt: sa.Select, q: str) -> tuple[sa.Select, sa.ColumnElement[int]]:
    """Narrow ``stmt`` to prospects with ``q`` as a case-insensitive substring of their
    name, email or phone, or for a ``q`` shorter than a trigram with a word that starts
    with it (``word_start``); returns it with the column to order and page it by.

    The same answer on both databases, from the trigram index where it can serve
    (``portal.models.prospect_search``). On SQLite that is an FTS5 phrase query, which
    folds case for every alphabet, joined by rowid (= the prospect id): ordered and
    paged by the FTS rowid, FTS5 reads its matches newest first and stops when the
    page is full, so a common term costs what a rare one does (listing every match
    first made a quarter of 100,000 prospects 140 ms).
    """
    if len(q) < MIN_INDEXED_CHARS:
        return word_start(stmt, q)
    if db.session.get_bind().dialect.name == "sqlite":
        search = fts_table()
        phrase = '"' + q.replace('"', '""') + '"'
        matched = stmt.join(search, search.c.rowid == Prospect.id).where(
            sa.literal_column(FTS_TABLE).match(phrase)
        )
        return matched, search.c.rowid
    return stmt.where(like_text(q)), Prospect.id


def word_start(stmt: sa.Select, q: str) -> tuple[sa.Select, sa.ColumnElement[int]]:
    """Narrow ``stmt`` to prospects where the word of ``q`` (``query_words``: "jo", or
    "j" for "j.") starts a word of their name, email or phone, case folded; a ``q`` with
    no letter or digit (``%``, ``'``) starts no word and matches nobody.

    Served by the word index (``portal.models.prospect_word_search``). The words are
    letters and digits only, so quoting them for the FTS5 or tsquery syntax is all it
    takes to keep every character of ``q`` harmless; the tsquery text is a bound value.
    On SQLite ordered and paged by the FTS rowid, for the reason in ``search_text``;
    on PostgreSQL by an expression of the id, for the reason below.
    """
    words = query_words(q)
    if not words:
        return stmt.where(sa.false()), Prospect.id
    if db.session.get_bind().dialect.name == "sqlite":
        table = fts_table(WORDS_TABLE)
        query = " ".join('"' + word.replace('"', '""') + '"*' for word in words)
        matched = stmt.join(table, table.c.rowid == Prospect.id).where(
            sa.literal_column(WORDS_TABLE).match(query)
        )
        return matched, table.c.rowid
    tsquery = " & ".join("'" + word.replace("'", "''") + "':*" for word in words)
    matches = sa.literal_column(POSTGRES_WORDS).op("@@")(
        sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), tsquery)
    )
    # Ordered by ``id + 0``, which the primary key cannot serve: PostgreSQL estimates
    # any prefix tsquery at a fixed 2% of the rows, so ordered by ``id`` it walked the
    # key newest first expecting a page within ~1,300 rows and re-parsed every prospect
    # for a word nobody has (500 ms over 100,000). This way the page always comes from
    # the word index and a top-N sort of its matches (35 ms when everyone matches).
    return stmt.where(matches), Prospect.id + 0


def like_text(q: str) -> sa.ColumnElement[bool]:
    """``q`` as a lower-cased substring of the lower-cased name, email or phone (``%`` and
    ``_`` in ``q`` are literal). On PostgreSQL over the indexed joined text, which its GIN
    index serves for three characters or more; SQLite's ``unicode_lower`` is Python's
    (its own ``lower`` folds only ASCII).
    """
    literal = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{literal}%"
    if db.session.get_bind().dialect.name != "sqlite":
        if FIELD_SEPARATOR in q:  # would match across two fields of the joined text
            return sa.false()
        return sa.literal_column(POSTGRES_SEARCH_TEXT).like(pattern, escape="\\")
    return sa.or_(
        *(
            sa.func.unicode_lower(column).like(pattern, escape="\\")
            for column in (Prospect.name, Prospect.email, Prospect.phone)
        )
    )


def filtered(
    staff: StaffUser, filters: ProspectFilters, now: datetime
) -> tuple[sa.Select, sa.ColumnElement[int]]:
    """The select over ``Prospect`` the filters and the viewer's visibility leave, and
    the column (the prospect id) to order and page it by."""
    stmt = visible_prospects(staff, sa.select(Prospect).where(Prospect.erased_at.is_(None)))
    key = Prospect.id
    if filters.q.strip():
        stmt, key = search_text(stmt, filters.q.strip())
    if filters.stage:
        stmt = stmt.where(Prospect.stage == filters.stage)
    if filters.property_id is not None:
        stmt = stmt.where(
            sa.select(Tour.id)
            .where(Tour.prospect_id == Prospect.id, Tour.property_id == filters.property_id)
            .exists()
        )
    if filters.agent_id is not None:
        # One id list from two index reads (ix_prospect_assigned_agent_id,
        # ix_tour_agent_starts): an OR with a correlated EXISTS made SQLite probe the
        # tours of every prospect (3 s over 100,000).
        stmt = stmt.where(
            Prospect.id.in_(
                sa.union(
                    sa.select(Prospect.id).where(Prospect.assigned_agent_id == filters.agent_id),
                    sa.select(Tour.prospect_id).where(Tour.agent_id == filters.agent_id),
                )
            )
        )
    if filters.source:
        stmt = stmt.where(sa.func.lower(source_of()) == filters.source.strip().lower())
    if filters.last_contact == "week":
        stmt = stmt.where(Prospect.last_contact_at >= now - timedelta(days=7))
    elif filters.last_contact == "month":
        stmt = stmt.where(Prospect.last_contact_at >= now - timedelta(days=30))
    elif filters.last_contact == "older":
        stmt = stmt.where(Prospect.last_contact_at < now - timedelta(days=30))
    elif filters.last_contact == "never":
        stmt = stmt.where(Prospect.last_contact_at.is_(None))
    if filters.upcoming_tour is True:
        stmt = stmt.where(_upcoming(now))
    elif filters.upcoming_tour is False:
        stmt = stmt.where(~_upcoming(now))
    return stmt, key


def find_prospects(
    staff: StaffUser,
    filters: ProspectFilters,
    *,
    now: datetime,
    after: int | None = None,
    per_page: int = PER_PAGE,
) -> ProspectPage:
    """One page of the prospects ``staff`` sees that match ``filters``, newest first.

    :param after: the last prospect id of the previous page (keyset), None for the first.
    """
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    stmt, key = filtered(staff, filters, now)
    if after is not None:
        stmt = stmt.where(key < after)
    prospects = list(db.session.scalars(stmt.order_by(key.desc()).limit(per_page + 1)))
    more = len(prospects) > per_page
    prospects = prospects[:per_page]
    tours = _next_tours([p.id for p in prospects], now)
    return ProspectPage(
        rows=[ProspectRow(p, tours.get(p.id)) for p in prospects],
        next_after=prospects[-1].id if more else None,
    )


def _next_tours(prospect_ids: list[int], now: datetime) -> dict[int, Tour]:
    if not prospect_ids:
        return {}
    upcoming = db.session.scalars(
        sa.select(Tour)
        .where(
            Tour.prospect_id.in_(prospect_ids),
            Tour.status.in_(ACTIVE_STATUSES),
            Tour.starts_at >= now,
        )
        .order_by(Tour.starts_at.desc())
        .options(joinedload(Tour.property))
    )
    return {tour.prospect_id: tour for tour in upcoming}  # the earliest wins (last written)
