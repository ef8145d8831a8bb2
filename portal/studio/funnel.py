"""The funnel, in set-based SQL: leads, tours held, applications and leases per cut.

Definitions (shown on the page as ``DEFINITIONS``):

* A **lead** is a prospect's first inbound contact per property: their first tour
  booking or request there, whatever became of it (the only inbound contact the
  portal records per property). Leads are counted in the period
  they arrived; what became of them is counted up to ``now``.
* **Toured**: the lead has a tour at that property that happened (status completed),
  not merely a booking.
* **Applied**: the prospect reached "applied" (or "leased" directly) in the stage
  history, attributed to the property of their latest tour held before that moment.
* **Leased**: an applied lead whose prospect then reached "leased".
* **Lost**: the prospect's current stage is "lost".

``portal.studio.lead_outcomes`` computes each lead's outcome by these rules into
``LeadOutcome``; the queries here group those rows in the database.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from portal.extensions import db
from portal.models import LeadOutcome, Property, StaffUser
from portal.studio.insights_query import NO_AGENT, InsightsQuery
from portal.studio.insights_sql import month_of


def rate(part: int, whole: int) -> float | None:
    """``part / whole``, or None when there is nothing to divide by."""
    return part / whole if whole else None


@dataclass(frozen=True)
class FunnelRow:
    cut: str
    leads: int
    toured: int
    applied: int
    leased: int
    lost: int

    @property
    def toured_rate(self) -> float | None:
        return rate(self.toured, self.leads)

    @property
    def applied_rate(self) -> float | None:
        return rate(self.applied, self.toured)

    @property
    def leased_rate(self) -> float | None:
        return rate(self.leased, self.applied)

    @property
    def lead_to_lease(self) -> float | None:
        return rate(self.leased, self.leads)


def cut_column(q: InsightsQuery, *, property_name, agent_name, first_source, last_source, stamp):
    """The expression the rows are grouped by, for ``q.by``."""
    return {
        "community": property_name,
        "agent": sa.func.coalesce(agent_name, NO_AGENT),
        "first_touch": first_source,
        "last_touch": last_source,
        "month": month_of(stamp),
    }[q.by]


def narrowed(stmt: sa.Select, q: InsightsQuery, *, property_id, agent_id, first_source):
    """``stmt`` narrowed to the query's community, agent and first-touch source."""
    if q.property_id is not None:
        stmt = stmt.where(property_id == q.property_id)
    if q.agent_id is not None:
        stmt = stmt.where(agent_id == q.agent_id)
    if q.source is not None:
        stmt = stmt.where(first_source == q.source)
    return stmt


def outcomes(q: InsightsQuery) -> sa.CTE:
    """Every lead of the period and filters with what became of it up to ``now``.

    Read from ``LeadOutcome`` (one narrow row per lead, kept current by
    ``lead_upkeep``): a range scan on ``lead_at``, no look-ups per lead. Instants after
    ``now`` read as NULL. A CTE: statements that read it twice compute it once.
    """
    lo = LeadOutcome

    def by_now(column) -> sa.ColumnElement:
        return sa.case((column <= q.now, column))

    cut = cut_column(
        q,
        property_name=Property.name,
        agent_name=StaffUser.name,
        first_source=lo.first_source,
        last_source=lo.last_source,
        stamp=lo.lead_at,
    )
    stmt = (
        sa.select(
            lo.prospect_id,
            lo.property_id,
            lo.agent_id,
            cut.label("cut"),
            lo.stage,
            lo.lead_at,
            by_now(lo.toured_at).label("toured_at"),
            by_now(lo.applied_at).label("applied_at"),
            by_now(lo.leased_at).label("leased_at"),
            by_now(lo.responded_at).label("responded_at"),
        )
        .join(Property, Property.id == lo.property_id)
        .outerjoin(StaffUser, StaffUser.id == lo.agent_id)
        .where(lo.lead_at >= q.start, lo.lead_at < q.end, lo.lead_at <= q.now)
    )
    stmt = narrowed(
        stmt, q, property_id=lo.property_id, agent_id=lo.agent_id, first_source=lo.first_source
    )
    return stmt.cte("outcome")


def funnel(q: InsightsQuery) -> list[FunnelRow]:
    """Leads, toured, applied, leased and lost per cut, in the cut's order."""
    o = outcomes(q)
    rows = db.session.execute(
        sa.select(
            o.c.cut,
            sa.func.count(),
            sa.func.count(o.c.toured_at),
            sa.func.count(o.c.applied_at),
            sa.func.count(o.c.leased_at),
            sa.func.coalesce(sa.func.sum(sa.case((o.c.stage == "lost", 1), else_=0)), 0),
        )
        .group_by(o.c.cut)
        .order_by(o.c.cut)
    )
    return [FunnelRow(*row) for row in rows]


def total(rows: list[FunnelRow]) -> FunnelRow:
    """The rows added up (each lead is in exactly one row)."""
    return FunnelRow(
        "All",
        *(
            sum(getattr(r, name) for r in rows)
            for name in ("leads", "toured", "applied", "leased", "lost")
        ),
    )
