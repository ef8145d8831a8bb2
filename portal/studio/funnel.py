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

Every query groups in the database; nothing loops over prospects in Python.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from portal.extensions import db
from portal.models import Property, Prospect, StaffUser, StageChange, Tour
from portal.studio.insights_query import NO_AGENT, NO_SOURCE, InsightsQuery
from portal.studio.insights_sql import month_of

HELD = "completed"
APPLIED_STAGES = ("applied", "leased")


def source_of(touch_column) -> sa.ColumnElement[str]:
    """A touch's campaign source (``utm_source``), or ``NO_SOURCE`` without one."""
    return sa.func.coalesce(sa.func.nullif(touch_column["utm_source"].as_string(), ""), NO_SOURCE)


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


def cut_column(q: InsightsQuery, *, property_name, agent_name, first_touch, last_touch, stamp):
    """The expression the rows are grouped by, for ``q.by``."""
    return {
        "community": property_name,
        "agent": sa.func.coalesce(agent_name, NO_AGENT),
        "first_touch": source_of(first_touch),
        "last_touch": source_of(last_touch),
        "month": month_of(stamp),
    }[q.by]


def leads(q: InsightsQuery) -> sa.Select:
    """One row per lead in the period and filters: prospect, property, when, agent, cut.

    A booking is a lead when no earlier booking of the same prospect at the same
    property exists (``ix_tour_held`` makes that look-up an index probe).
    """
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
    cut = cut_column(
        q,
        property_name=Property.name,
        agent_name=StaffUser.name,
        first_touch=Prospect.first_touch,
        last_touch=Prospect.last_touch,
        stamp=Tour.created_at,
    )
    stmt = (
        sa.select(
            Tour.prospect_id,
            Tour.property_id,
            Tour.agent_id,
            Tour.created_at.label("lead_at"),
            Prospect.stage,
            Prospect.email,  # only to find their follow-up mail; never shown
            cut.label("cut"),
        )
        .join(Prospect, Prospect.id == Tour.prospect_id)
        .join(Property, Property.id == Tour.property_id)
        .outerjoin(StaffUser, StaffUser.id == Tour.agent_id)
        .where(
            Tour.created_at >= q.start,
            Tour.created_at < q.end,
            Tour.created_at <= q.now,
            first_here,
        )
    )
    if q.property_id is not None:
        stmt = stmt.where(Tour.property_id == q.property_id)
    if q.agent_id is not None:
        stmt = stmt.where(Tour.agent_id == q.agent_id)
    if q.source is not None:
        stmt = stmt.where(source_of(Prospect.first_touch) == q.source)
    return stmt


def outcomes(q: InsightsQuery) -> sa.CTE:
    """Every lead with when it toured, applied and leased (NULL where it did not).

    Correlated look-ups per lead (each an index probe), so the cost follows the
    period's leads, not the whole history. A CTE: statements that read it twice
    compute it once.
    """
    lead = leads(q).subquery("lead")
    l_ = lead.c
    toured_at = (
        sa.select(sa.func.min(Tour.starts_at))
        .where(
            Tour.prospect_id == l_.prospect_id,
            Tour.property_id == l_.property_id,
            Tour.status == HELD,
            Tour.starts_at <= q.now,
        )
        .scalar_subquery()
    )

    def first_stage(stages) -> sa.ScalarSelect:
        return (
            sa.select(sa.func.min(StageChange.at))
            .where(
                StageChange.prospect_id == l_.prospect_id,
                StageChange.to_stage.in_(stages),
                StageChange.at <= q.now,
            )
            .scalar_subquery()
        )

    dated = (
        sa.select(
            *l_,
            toured_at.label("toured_at"),
            first_stage(APPLIED_STAGES).label("reached_applied"),
            first_stage(("leased",)).label("reached_leased"),
        )
        .cte("dated")
        .prefix_with("MATERIALIZED")
    )  # each look-up once per lead
    d = dated.c
    # The application belongs to the property of the last tour held before it.
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
        d.email,
        d.cut,
        d.stage,
        d.lead_at,
        d.toured_at,
        sa.case((applied_here, d.reached_applied)).label("applied_at"),
        sa.case((applied_here, d.reached_leased)).label("leased_at"),
    ).cte("outcome")


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
