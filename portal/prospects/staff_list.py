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
from portal.models.prospect_search import FTS_TABLE, MIN_INDEXED_CHARS, fts_table
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


def matches_text(q: str) -> sa.ColumnElement[bool]:
    """``q`` is a case-insensitive substring of the prospect's name, email or phone.

    The same answer on both databases, from the trigram index where it can serve
    (``portal.models.prospect_search``): on SQLite an FTS5 phrase query, which folds
    case for every alphabet; on PostgreSQL the ``LIKE`` the GIN index serves
    (``%`` and ``_`` in ``q`` are literal characters). A query shorter than three characters has no
    trigram, so it reads the prospects newest first until a page is full (quick for a
    common one, the whole table for a rare one).
    """
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    if sqlite and len(q) >= MIN_INDEXED_CHARS:
        search = fts_table()
        phrase = '"' + q.replace('"', '""') + '"'
        return Prospect.id.in_(
            sa.select(search.c.rowid).where(sa.literal_column(FTS_TABLE).match(phrase))
        )
    literal = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    lower = sa.func.unicode_lower if sqlite else sa.func.lower
    return sa.or_(
        *(
            lower(column).like(f"%{literal}%", escape="\\")
            for column in (Prospect.name, Prospect.email, Prospect.phone)
        )
    )


def filtered(staff: StaffUser, filters: ProspectFilters, now: datetime) -> sa.Select:
    """The select over ``Prospect`` the filters and the viewer's visibility leave."""
    stmt = visible_prospects(staff, sa.select(Prospect).where(Prospect.erased_at.is_(None)))
    if filters.q.strip():
        stmt = stmt.where(matches_text(filters.q.strip()))
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
    return stmt


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
    stmt = filtered(staff, filters, now)
    if after is not None:
        stmt = stmt.where(Prospect.id < after)
    prospects = list(db.session.scalars(stmt.order_by(Prospect.id.desc()).limit(per_page + 1)))
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
