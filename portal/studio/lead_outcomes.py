"""Computing ``LeadOutcome`` and ``LeadTopic`` rows from the facts, from scratch.

One function, ``refresh``, recomputes the rows of some prospects (or of everyone) on a
plain connection: the flush hook in ``lead_upkeep`` calls it for the prospects a flush
touched, the migration and ``flask insights rebuild`` for everyone. So the maintained
table is, by construction, what a rebuild gives; the tests hold the two equal after
every kind of change.

The definitions are the page's (``insights_tables.DEFINITIONS``):

* the lead is the earliest booking of the prospect at the property (``created_at``,
  then id); its agent is that booking's agent;
* toured: the first tour held (status completed) there, by its start;
* applied: the first time the prospect reached "applied" (or "leased" directly),
  attributed to the property of the last tour held before it; leased likewise;
* responded: the earlier of the first staff step on one of the prospect's tours there
  and the first follow-up email to them, at or after the lead;
* topics: priority topics the prospect's latest priorities mark important or must
  have, and objections recorded on their tours there.
"""

from collections import defaultdict
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from portal.models import (
    OBJECTIONS,
    LeadOutcome,
    LeadTopic,
    OutboxEmail,
    PriorityVersion,
    Prospect,
    StageChange,
    Tour,
    TourCapture,
    TourStatusChange,
)
from portal.prospects.magic_links import SIGN_IN_EMAIL_KIND
from portal.prospects.topics import TOPICS
from portal.studio.insights_query import NO_SOURCE

HELD = "completed"
APPLIED_STAGES = ("applied", "leased")
STRONG = ("important", "must_have")
CHUNK = 500  # prospects per statement (bound parameters stay well under the limits)


def source_of(touch_column) -> sa.ColumnElement[str]:
    """A touch's campaign source (``utm_source``), or ``NO_SOURCE`` without one."""
    return sa.func.coalesce(sa.func.nullif(touch_column["utm_source"].as_string(), ""), NO_SOURCE)


def is_follow_up_email() -> sa.ColumnElement[bool]:
    """Outbox rows the recipient did not ask for (not a tour notice, not a sign-in link)."""
    return sa.and_(
        OutboxEmail.kind.not_like("tour\\_%", escape="\\"),
        OutboxEmail.kind != SIGN_IN_EMAIL_KIND,
    )


def _earliest(first, second) -> sa.ColumnElement:
    """The earlier of two instants, either of which may be NULL (portable LEAST)."""
    return sa.case(
        (first.is_(None), second),
        (second.is_(None), first),
        (first < second, first),
        else_=second,
    )


def _leads(prospect_ids: list[int] | None) -> sa.Select:
    """Every lead of the prospects, with its first instants (one index probe each)."""
    earlier = aliased(Tour, name="earlier")
    first_here = ~(
        sa.select(earlier.id)
        .where(
            earlier.prospect_id == Tour.prospect_id,
            earlier.property_id == Tour.property_id,
            sa.or_(
                earlier.created_at < Tour.created_at,
                sa.and_(earlier.created_at == Tour.created_at, earlier.id < Tour.id),
            ),
        )
        .exists()
    )
    lead = (
        sa.select(
            Tour.prospect_id,
            Tour.property_id,
            Tour.agent_id,
            Tour.created_at.label("lead_at"),
            Prospect.email,
            Prospect.stage,
            source_of(Prospect.first_touch).label("first_source"),
            source_of(Prospect.last_touch).label("last_source"),
        )
        .join(Prospect, Prospect.id == Tour.prospect_id)
        .where(first_here)
    )
    if prospect_ids is not None:
        lead = lead.where(Tour.prospect_id.in_(prospect_ids))
    l_ = lead.subquery("lead").c

    def first_stage(stages) -> sa.ScalarSelect:
        return (
            sa.select(sa.func.min(StageChange.changed_at))
            .where(StageChange.prospect_id == l_.prospect_id, StageChange.to_stage.in_(stages))
            .scalar_subquery()
        )

    staff_step = (
        sa.select(sa.func.min(TourStatusChange.changed_at))
        .join(Tour, Tour.id == TourStatusChange.tour_id)
        .where(
            Tour.prospect_id == l_.prospect_id,
            Tour.property_id == l_.property_id,
            TourStatusChange.actor.like("staff:%"),
            TourStatusChange.changed_at >= l_.lead_at,
        )
        .scalar_subquery()
    )
    follow_up = (
        sa.select(sa.func.min(OutboxEmail.created_at))
        .where(
            OutboxEmail.to_normalised == l_.email,
            is_follow_up_email(),
            OutboxEmail.created_at >= l_.lead_at,
        )
        .scalar_subquery()
    )
    toured_at = (
        sa.select(sa.func.min(Tour.starts_at))
        .where(
            Tour.prospect_id == l_.prospect_id,
            Tour.property_id == l_.property_id,
            Tour.status == HELD,
        )
        .scalar_subquery()
    )
    dated = sa.select(
        l_.prospect_id,
        l_.property_id,
        l_.agent_id,
        l_.lead_at,
        l_.first_source,
        l_.last_source,
        l_.stage,
        toured_at.label("toured_at"),
        first_stage(APPLIED_STAGES).label("reached_applied"),
        first_stage(("leased",)).label("reached_leased"),
        staff_step.label("staff_at"),
        follow_up.label("mail_at"),
    ).subquery("dated")
    d = dated.c
    applied_where = (
        sa.select(Tour.property_id)
        .where(
            Tour.prospect_id == d.prospect_id,
            Tour.status == HELD,
            Tour.starts_at <= d.reached_applied,
        )
        .order_by(Tour.starts_at.desc(), Tour.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    applied_here = sa.and_(d.reached_applied.is_not(None), applied_where == d.property_id)
    return sa.select(
        d.prospect_id,
        d.property_id,
        d.agent_id,
        d.lead_at,
        d.first_source,
        d.last_source,
        d.stage,
        d.toured_at,
        sa.case((applied_here, d.reached_applied)).label("applied_at"),
        sa.case((applied_here, d.reached_leased)).label("leased_at"),
        _earliest(d.staff_at, d.mail_at).label("responded_at"),
    )


def _topics(conn: sa.Connection, leads: dict) -> list[dict]:
    """``LeadTopic`` rows for the leads ({(prospect_id, property_id): lead_at})."""
    prospects = sorted({pid for pid, _ in leads})
    by_prospect = defaultdict(list)
    for pid, prop in leads:
        by_prospect[pid].append(prop)
    rows = set()
    latest = sa.select(sa.func.max(PriorityVersion.id)).group_by(PriorityVersion.prospect_id)
    objections = sa.select(Tour.prospect_id, Tour.property_id, TourCapture.objections).join(
        TourCapture, TourCapture.tour_id == Tour.id
    )
    for ids in _chunks(prospects):
        answers = sa.select(PriorityVersion.prospect_id, PriorityVersion.answers).where(
            PriorityVersion.id.in_(latest.where(PriorityVersion.prospect_id.in_(ids)))
        )
        for pid, answer in conn.execute(answers):
            importance = (answer or {}).get("importance") or {}
            strong = [t for t, level in importance.items() if t in TOPICS and level in STRONG]
            rows.update((pid, prop, "priority", t) for prop in by_prospect[pid] for t in strong)
        for pid, prop, keys in conn.execute(objections.where(Tour.prospect_id.in_(ids))):
            if (pid, prop) in leads:
                rows.update((pid, prop, "objection", k) for k in keys or () if k in OBJECTIONS)
    names = ("prospect_id", "property_id", "kind", "topic")
    return [
        dict(zip(names, row, strict=True), lead_at=leads[row[0], row[1]]) for row in sorted(rows)
    ]


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def compute(conn: sa.Connection, prospect_ids: Iterable[int] | None = None) -> tuple[list, list]:
    """The ``LeadOutcome`` and ``LeadTopic`` rows (as dicts) the facts give today."""
    ids = None if prospect_ids is None else sorted(set(prospect_ids))
    outcomes = []
    for chunk in [None] if ids is None else _chunks(ids):
        outcomes += [dict(row._mapping) for row in conn.execute(_leads(chunk))]
    leads = {(o["prospect_id"], o["property_id"]): o["lead_at"] for o in outcomes}
    return outcomes, _topics(conn, leads)


def refresh(conn: sa.Connection, prospect_ids: Iterable[int] | None = None) -> int:
    """Replace the rows of ``prospect_ids`` (None: every row) by freshly computed ones.

    Runs on ``conn`` inside its transaction; returns how many leads it wrote.
    """
    ids = None if prospect_ids is None else sorted(set(prospect_ids))
    if ids == []:
        return 0
    outcomes, topics = compute(conn, ids)
    for table in (LeadTopic.__table__, LeadOutcome.__table__):
        if ids is None:
            conn.execute(sa.delete(table))
        else:
            for chunk in _chunks(ids):
                conn.execute(sa.delete(table).where(table.c.prospect_id.in_(chunk)))
    for table, rows in ((LeadOutcome.__table__, outcomes), (LeadTopic.__table__, topics)):
        for i in range(0, len(rows), 5000):
            conn.execute(sa.insert(table), rows[i : i + 5000])
    return len(outcomes)
