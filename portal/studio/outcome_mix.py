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
from portal.models import OBJECTIONS, LeadTopic
from portal.models.capture import OBJECTION_LABELS
from portal.prospects.topics import TOPICS
from portal.studio.funnel import outcomes, rate
from portal.studio.insights_query import InsightsQuery
from portal.studio.insights_sql import is_postgres

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
    o = outcomes(q).c
    return (
        sa.select(o.prospect_id, o.property_id, o.stage)
        .where(o.stage.in_(OUTCOMES))
        .cte("decided")
        .prefix_with("MATERIALIZED")
    )


def _pairs(q: InsightsQuery, decided: sa.CTE, kinds: tuple[str, ...]) -> sa.Subquery:
    """(kind, prospect_id, stage, key) for the decided leads' topics of ``kinds``.

    Joined on the topics' primary key: SQLite probes it per decided lead. PostgreSQL
    gets the period's bounds on the topics' copy of the lead's time as well, so it can
    range-scan ``ix_lead_topic_kind_lead_at`` into a hash instead of hashing the whole
    history (SQLite, without statistics, would take that index for every probe).
    """
    d = decided.c
    t = LeadTopic
    # (Only the key's columns on SQLite: the kind is left to the caller's filter.)
    period = [t.kind.in_(kinds), t.lead_at >= q.start, t.lead_at < q.end] if is_postgres() else []
    return (
        sa.select(t.kind, d.prospect_id, d.stage, t.topic.label("key"))
        .select_from(decided)
        .join(
            t,
            sa.and_(
                t.prospect_id == d.prospect_id,
                t.property_id == d.property_id,
                *period,
            ),
        )
        .subquery("pair")
    )


LABELS = {
    "priority": TOPICS,
    "objection": {key: OBJECTION_LABELS[key] for key in OBJECTIONS},
}


def mixes(q: InsightsQuery, kinds: tuple[str, ...] = tuple(LABELS)) -> dict[str, list[MixRow]]:
    """Per kind ("priority", "objection"): its rows, most frequent first, in one statement.

    The row with NULL kind and key carries the totals: all leased and all lost prospects.
    """

    def distinct_of(stage_col, id_col, stage: str) -> sa.ColumnElement[int]:
        return sa.func.count(sa.distinct(sa.case((stage_col == stage, id_col))))

    decided = _decided(q)
    p, d = _pairs(q, decided, kinds).c, decided.c
    per_key = sa.select(
        p.kind,
        p.key,
        distinct_of(p.stage, p.prospect_id, "leased"),
        distinct_of(p.stage, p.prospect_id, "lost"),
    ).group_by(p.kind, p.key)
    totals = sa.select(
        sa.null().label("kind"),
        sa.null().label("key"),
        distinct_of(d.stage, d.prospect_id, "leased"),
        distinct_of(d.stage, d.prospect_id, "lost"),
    )
    rows = db.session.execute(sa.union_all(per_key, totals)).all()
    leased_total, lost_total = next((r[2], r[3]) for r in rows if r[0] is None)
    found = {kind: [] for kind in kinds}
    for kind, key, leased, lost in rows:
        if kind in found and key in LABELS[kind]:
            label = LABELS[kind][key]
            found[kind].append(MixRow(key, label, leased, lost, leased_total, lost_total))
    return {
        kind: sorted(mix, key=lambda r: (-(r.leased + r.lost), r.label))
        for kind, mix in found.items()
    }


def priorities(q: InsightsQuery) -> list[MixRow]:
    """Topics that mattered (important, must have) to leased vs lost prospects."""
    return mixes(q, ("priority",))["priority"]


def objections(q: InsightsQuery) -> list[MixRow]:
    """Objections recorded on the tours of leased vs lost prospects."""
    return mixes(q, ("objection",))["objection"]
