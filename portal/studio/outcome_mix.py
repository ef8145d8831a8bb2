"""What leased and lost prospects had in common: their priorities and their objections.

Among the prospects behind the period's leads (in the filters) whose stage is now
"leased" or "lost":

* **Priorities**: topics their latest priority version marks "important" or "must
  have" (``PriorityVersion.answers["importance"]``);
* **Objections**: objections the agents recorded on their tours at the lead's
  property (``TourCapture.objections``, the one ``OBJECTIONS`` taxonomy).

Each row gives how many leased and how many lost prospects had the topic, and that
as a share of all leased (lost) prospects, so groups of different sizes compare.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from portal.extensions import db
from portal.models import OBJECTIONS, PriorityVersion, Prospect, Tour, TourCapture
from portal.models.capture import OBJECTION_LABELS
from portal.prospects.topics import TOPICS
from portal.studio.funnel import leads, rate
from portal.studio.insights_query import InsightsQuery
from portal.studio.insights_sql import is_postgres

STRONG = ("important", "must_have")
OUTCOMES = ("leased", "lost")


@dataclass(frozen=True)
class MixRow:
    key: str
    label: str
    leased: int
    lost: int
    leased_total: int
    lost_total: int

    @property
    def leased_share(self) -> float | None:
        return rate(self.leased, self.leased_total)

    @property
    def lost_share(self) -> float | None:
        return rate(self.lost, self.lost_total)


def _decided(q: InsightsQuery) -> sa.CTE:
    """The period's leads whose prospect is now leased or lost (computed once)."""
    decided = leads(q).where(Prospect.stage.in_(OUTCOMES)).subquery("lead")
    return (
        sa.select(decided.c.prospect_id, decided.c.property_id, decided.c.stage)
        .cte("decided")
        .prefix_with("MATERIALIZED")
    )


def _mix(decided: sa.CTE, pairs: sa.Subquery, labels: dict[str, str]) -> list[MixRow]:
    """Rows from (prospect_id, stage, key) pairs, most frequent first, in one statement.

    The row with a NULL key carries the totals: all leased and all lost prospects.
    """

    def distinct_of(stage_col, id_col, stage: str) -> sa.ColumnElement[int]:
        return sa.func.count(sa.distinct(sa.case((stage_col == stage, id_col))))

    p, d = pairs.c, decided.c
    per_key = sa.select(
        p.key,
        distinct_of(p.stage, p.prospect_id, "leased"),
        distinct_of(p.stage, p.prospect_id, "lost"),
    ).group_by(p.key)
    totals = sa.select(
        sa.null().label("key"),
        distinct_of(d.stage, d.prospect_id, "leased"),
        distinct_of(d.stage, d.prospect_id, "lost"),
    )
    rows = db.session.execute(sa.union_all(per_key, totals)).all()
    leased_total, lost_total = next((r[1], r[2]) for r in rows if r[0] is None)
    mix = [
        MixRow(key, labels[key], leased, lost, leased_total, lost_total)
        for key, leased, lost in rows
        if key in labels
    ]
    return sorted(mix, key=lambda r: (-(r.leased + r.lost), r.label))


def priorities(q: InsightsQuery) -> list[MixRow]:
    """Topics that mattered (important, must have) to leased vs lost prospects."""
    decided = _decided(q)
    latest = (
        sa.select(PriorityVersion.prospect_id, sa.func.max(PriorityVersion.id).label("id"))
        .where(PriorityVersion.prospect_id.in_(sa.select(decided.c.prospect_id)))
        .group_by(PriorityVersion.prospect_id)
        .subquery("latest")
    )
    if is_postgres():
        entries = sa.func.json_each_text(PriorityVersion.answers.op("->")("importance"))
    else:
        entries = sa.func.json_each(PriorityVersion.answers, "$.importance")
    entry = entries.table_valued("key", "value").alias("importance")
    outcome = sa.select(decided.c.prospect_id, decided.c.stage).distinct().subquery("outcome")
    pairs = (
        sa.select(outcome.c.prospect_id, outcome.c.stage, entry.c.key)
        .select_from(latest)
        .join(PriorityVersion, PriorityVersion.id == latest.c.id)
        .join(outcome, outcome.c.prospect_id == latest.c.prospect_id)
        .join(entry, sa.true())
        .where(entry.c.value.in_(STRONG))
        .subquery("pair")
    )
    return _mix(decided, pairs, TOPICS)


def objections(q: InsightsQuery) -> list[MixRow]:
    """Objections recorded on the tours of leased vs lost prospects."""
    decided = _decided(q)
    if is_postgres():
        entries = sa.func.json_array_elements_text(TourCapture.objections)
    else:
        entries = sa.func.json_each(TourCapture.objections)
    entry = entries.table_valued("value").alias("objection")
    pairs = (
        sa.select(decided.c.prospect_id, decided.c.stage, entry.c.value.label("key"))
        .select_from(decided)
        .join(
            Tour,
            sa.and_(
                Tour.prospect_id == decided.c.prospect_id,
                Tour.property_id == decided.c.property_id,
            ),
        )
        .join(TourCapture, TourCapture.tour_id == Tour.id)
        .join(entry, sa.true())
        .subquery("pair")
    )
    labels = {key: OBJECTION_LABELS[key] for key in OBJECTIONS}
    return _mix(decided, pairs, labels)
