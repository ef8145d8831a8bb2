"""Tours in the period: show rate and the share booked outside opening hours.

* **Booked** tours are those that started in the period, before ``now``, and were not
  cancelled, expired or left as an unconfirmed request: confirmed, rescheduled,
  completed or no-show. **Attended** are the completed ones; the **show rate** is
  attended ÷ booked.
* **After hours**: among the tours starting in the period that were not cancelled or
  expired, the share starting outside every ``OpeningHours`` window of the property,
  read on the property's own wall clock (its IANA zone), on the tour's weekday.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from portal.extensions import db
from portal.models import LeadOutcome, OpeningHours, Property, StaffUser, Tour
from portal.studio.funnel import cut_column, narrowed, rate
from portal.studio.insights_query import InsightsQuery
from portal.studio.insights_sql import local_clock, time_of, weekday_of

BOOKED = ("confirmed", "rescheduled", "completed", "no_show")
NOT_HELD = ("cancelled_by_prospect", "cancelled_by_staff", "expired")


@dataclass(frozen=True)
class TourRow:
    cut: str
    booked: int
    attended: int
    no_show: int
    scheduled: int
    after_hours: int

    @property
    def show_rate(self) -> float | None:
        return rate(self.attended, self.booked)

    @property
    def after_hours_share(self) -> float | None:
        return rate(self.after_hours, self.scheduled)


def _tours_in_period(q: InsightsQuery) -> sa.CTE:
    """The period's tours in the filters, with their wall-clock weekday and time.

    Materialised, so the zone conversion runs once per tour (not per opening window).
    A tour's sources are its lead's (``LeadOutcome``, the same prospect's touches), read
    only when the rows or a filter need them.
    """
    by_source = q.by in ("first_touch", "last_touch") or q.source is not None
    lead = LeadOutcome
    stmt = (
        sa.select(
            Tour.id,
            Tour.property_id,
            Tour.status,
            Tour.starts_at,
            Tour.agent_id,
            (lead.first_source if by_source else sa.null()).label("first_source"),
            (lead.last_source if by_source else sa.null()).label("last_source"),
            local_clock(Tour.starts_at, Property.time_zone).label("clock"),
        )
        .join(Property, Property.id == Tour.property_id)
        .where(Tour.starts_at >= q.start, Tour.starts_at < q.end)
    )
    if by_source:
        stmt = stmt.join(
            lead,
            sa.and_(lead.prospect_id == Tour.prospect_id, lead.property_id == Tour.property_id),
        )
    stmt = narrowed(
        stmt,
        q,
        property_id=Tour.property_id,
        agent_id=Tour.agent_id,
        first_source=lead.first_source,
    )
    return stmt.cte("tour_clock").prefix_with("MATERIALIZED")


def tours(q: InsightsQuery) -> list[TourRow]:
    """Booked, attended, no-show, scheduled and after-hours tours per cut."""
    clock = _tours_in_period(q)
    t = clock.c
    cut = cut_column(
        q,
        property_name=Property.name,
        agent_name=StaffUser.name,
        first_source=t.first_source,
        last_source=t.last_source,
        stamp=t.starts_at,
    ).label("cut")
    # Tours inside one of their property's windows, as a set joined once (a probe per
    # tour from the SELECT list cannot be hashed).
    in_hours = (
        sa.select(t.id)
        .join(
            OpeningHours,
            sa.and_(
                OpeningHours.property_id == t.property_id,
                OpeningHours.weekday == weekday_of(t.clock),
                OpeningHours.opens <= time_of(t.clock),
                OpeningHours.closes > time_of(t.clock),
            ),
        )
        .distinct()
        .subquery("in_hours")
    )
    past = t.starts_at < q.now
    scheduled = t.status.not_in(NOT_HELD)

    def count_if(condition) -> sa.ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    stmt = (
        sa.select(
            cut,
            count_if(sa.and_(past, t.status.in_(BOOKED))),
            count_if(sa.and_(past, t.status == "completed")),
            count_if(sa.and_(past, t.status == "no_show")),
            count_if(scheduled),
            count_if(sa.and_(scheduled, in_hours.c.id.is_(None))),
        )
        .select_from(clock)
        .join(Property, Property.id == t.property_id)
        .outerjoin(StaffUser, StaffUser.id == t.agent_id)
        .outerjoin(in_hours, in_hours.c.id == t.id)
        .group_by(cut)
        .order_by(cut)
    )
    return [TourRow(*row) for row in db.session.execute(stmt)]


def total(rows: list[TourRow]) -> TourRow:
    names = ("booked", "attended", "no_show", "scheduled", "after_hours")
    return TourRow("All", *(sum(getattr(r, n) for r in rows) for n in names))
