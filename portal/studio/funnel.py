"""The funnel, in set-based SQL: leads, tours held, applications and leases per cut.

Definitions (shown on the page as ``DEFINITIONS``):

* A **lead** is a prospect's first inbound contact per property: their first tour
  booking or request there, whatever became of it. Leads are counted in the period
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


def leads(q: InsightsQuery) -> sa.Subquery:
    """One row per lead in the period and filters: prospect, property, when, agent, cut."""
    first = (
        sa.select(
            Tour.prospect_id,
            Tour.property_id,
            Tour.agent_id,
            Tour.created_at.label("lead_at"),
            sa.func.row_number()
            .over(
                partition_by=(Tour.prospect_id, Tour.property_id),
                order_by=(Tour.created_at, Tour.id),
            )
            .label("rn"),
        )
    ).subquery("first_booking")
    f = first.c
    cut = cut_column(
        q,
        property_name=Property.name,
        agent_name=StaffUser.name,
        first_touch=Prospect.first_touch,
        last_touch=Prospect.last_touch,
        stamp=f.lead_at,
    )
    stmt = (
        sa.select(
            f.prospect_id,
            f.property_id,
            f.agent_id,
            f.lead_at,
            Prospect.stage,
            cut.label("cut"),
        )
        .join(Prospect, Prospect.id == f.prospect_id)
        .join(Property, Property.id == f.property_id)
        .outerjoin(StaffUser, StaffUser.id == f.agent_id)
        .where(f.rn == 1, f.lead_at >= q.start, f.lead_at < q.end, f.lead_at <= q.now)
    )
    if q.property_id is not None:
        stmt = stmt.where(f.property_id == q.property_id)
    if q.agent_id is not None:
        stmt = stmt.where(f.agent_id == q.agent_id)
    if q.source is not None:
        stmt = stmt.where(source_of(Prospect.first_touch) == q.source)
    return stmt.subquery("lead")


def tours_held(q: InsightsQuery) -> sa.Subquery:
    """The first tour held per prospect and property, up to ``now``."""
    return (
        sa.select(
            Tour.prospect_id, Tour.property_id, sa.func.min(Tour.starts_at).label("toured_at")
        )
        .where(Tour.status == HELD, Tour.starts_at <= q.now)
        .group_by(Tour.prospect_id, Tour.property_id)
        .subquery("toured")
    )


def applications(q: InsightsQuery) -> sa.Subquery:
    """Each prospect's first application, with the property of the tour held before it."""
    reached = (
        sa.select(StageChange.prospect_id, sa.func.min(StageChange.at).label("applied_at"))
        .where(StageChange.to_stage.in_(APPLIED_STAGES), StageChange.at <= q.now)
        .group_by(StageChange.prospect_id)
        .subquery("reached")
    )
    ranked = (
        sa.select(
            Tour.prospect_id,
            Tour.property_id,
            reached.c.applied_at,
            sa.func.row_number()
            .over(partition_by=Tour.prospect_id, order_by=(Tour.starts_at.desc(), Tour.id.desc()))
            .label("rn"),
        )
        .join(reached, reached.c.prospect_id == Tour.prospect_id)
        .where(Tour.status == HELD, Tour.starts_at <= reached.c.applied_at)
    ).subquery("last_tour_before")
    r = ranked.c
    return (
        sa.select(r.prospect_id, r.property_id, r.applied_at)
        .where(r.rn == 1)
        .subquery("application")
    )


def leases(q: InsightsQuery) -> sa.Subquery:
    return (
        sa.select(StageChange.prospect_id, sa.func.min(StageChange.at).label("leased_at"))
        .where(StageChange.to_stage == "leased", StageChange.at <= q.now)
        .group_by(StageChange.prospect_id)
        .subquery("lease")
    )


def outcomes(q: InsightsQuery) -> sa.Select:
    """Every lead with when it toured, applied and leased (NULL where it did not)."""
    lead, toured, applied, leased = leads(q), tours_held(q), applications(q), leases(q)
    same_lead = sa.and_
    return (
        sa.select(
            lead.c.prospect_id,
            lead.c.property_id,
            lead.c.cut,
            lead.c.stage,
            lead.c.lead_at,
            toured.c.toured_at,
            applied.c.applied_at,
            sa.case((applied.c.applied_at.is_not(None), leased.c.leased_at)).label("leased_at"),
        )
        .select_from(lead)
        .outerjoin(
            toured,
            same_lead(
                toured.c.prospect_id == lead.c.prospect_id,
                toured.c.property_id == lead.c.property_id,
            ),
        )
        .outerjoin(
            applied,
            same_lead(
                applied.c.prospect_id == lead.c.prospect_id,
                applied.c.property_id == lead.c.property_id,
            ),
        )
        .outerjoin(leased, leased.c.prospect_id == lead.c.prospect_id)
    )


def funnel(q: InsightsQuery) -> list[FunnelRow]:
    """Leads, toured, applied, leased and lost per cut, in the cut's order."""
    o = outcomes(q).subquery("outcome")
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
