"""How fast leads move: first-response time, lead → tour and tour → application (medians).

* **First-response time**: from the lead (the first booking at the property) to the
  first thing a person on our side did for it: the earliest staff step on one of the
  prospect's tours there (confirming, rescheduling, reassigning, checking in,
  recording the outcome: a tour status change by a staff member), or the first
  follow-up email queued to the prospect, whichever came first, up to ``now``.
  Automatic mail (booking confirmations, reminders, sign-in links) is not a response.
  Leads nobody responded to yet are counted apart and left out of the median.
* **Lead → tour**: from the lead to the first tour held at that property.
* **Tour → application**: from that first tour held to the prospect's application.

Medians per cut and overall: PostgreSQL takes them in one grouped scan
(``percentile_cont``); on SQLite, which has no such aggregate, the period's narrow
duration rows are read once and their medians taken in Python.
"""

from dataclasses import dataclass
from statistics import median

import sqlalchemy as sa

from portal.extensions import db
from portal.studio.funnel import FunnelRow, outcomes
from portal.studio.insights_query import InsightsQuery
from portal.studio.insights_sql import is_postgres, seconds_between

METRICS = ("response", "lead_to_tour", "tour_to_application")


@dataclass(frozen=True)
class SpeedRow:
    cut: str
    leads: int
    responded: int
    response_s: float | None
    toured: int
    lead_to_tour_s: float | None
    applied: int
    tour_to_application_s: float | None


def _by_ordered_set(durations: sa.CTE) -> tuple[list[FunnelRow], SpeedRow, list[SpeedRow]]:
    """PostgreSQL: every count and median in one grouped scan (``percentile_cont``, the
    mean of the two middle values for an even count, as ``statistics.median``), per cut
    and overall (``ROLLUP``)."""
    d = durations.c

    def median(column) -> sa.ColumnElement[float]:
        return sa.func.percentile_cont(0.5).within_group(column)

    stmt = sa.select(
        sa.func.grouping(d.cut),
        d.cut,
        sa.func.count(),
        *(f(d[m]) for m in METRICS for f in (sa.func.count, median)),
        sa.func.count(d.leased),
        sa.func.count(d.lost),
    ).group_by(sa.func.rollup(d.cut))
    funnel_rows, speed_rows, overall = [], [], None
    for overall_row, cut, leads, *figures, leased, lost in db.session.execute(stmt):
        counts, medians = figures[0::2], [None if m is None else float(m) for m in figures[1::2]]
        paired = [x for pair in zip(counts, medians, strict=True) for x in pair]
        row = SpeedRow("All" if overall_row else cut, leads, *paired)
        if overall_row:
            overall = row
        else:
            speed_rows.append(row)
            funnel_rows.append(FunnelRow(cut, leads, counts[1], counts[2], leased, lost))
    speed_rows.sort(key=lambda r: r.cut)
    funnel_rows.sort(key=lambda r: r.cut)
    return funnel_rows, overall or SpeedRow("All", 0, 0, None, 0, None, 0, None), speed_rows


def speed(q: InsightsQuery) -> tuple[SpeedRow, list[SpeedRow]]:
    """The overall row and one row per cut."""
    _funnel, overall, rows = lead_figures(q)
    return overall, rows


def lead_figures(q: InsightsQuery) -> tuple[list[FunnelRow], SpeedRow, list[SpeedRow]]:
    """The funnel and the speed tables from one statement (the page needs both).

    ``funnel.funnel`` counts the same funnel with a plain GROUP BY; the page and its
    CSV export use one each, and the tests hold them equal.
    """
    o = outcomes(q).c
    durations = (
        sa.select(
            o.cut,
            seconds_between(o.responded_at, o.lead_at).label("response"),
            seconds_between(o.toured_at, o.lead_at).label("lead_to_tour"),
            seconds_between(o.applied_at, o.toured_at).label("tour_to_application"),
            sa.case((o.leased_at.is_not(None), 0.0)).label("leased"),
            sa.case((o.stage == "lost", 0.0)).label("lost"),
        )
        .cte("duration")
        .prefix_with("MATERIALIZED")
    )  # read by every part of the union below
    if is_postgres():
        return _by_ordered_set(durations)
    return _by_sorting(durations)


def _by_sorting(durations: sa.CTE) -> tuple[list[FunnelRow], SpeedRow, list[SpeedRow]]:
    """SQLite (no ordered-set aggregates): the period's durations, one narrow row per
    lead, counted and their medians taken here (``statistics.median``)."""
    d = durations.c
    per_cut: dict[str, list[tuple]] = {}
    columns = (d.cut, *(d[m] for m in METRICS), d.leased, d.lost)
    for cut, *values in db.session.execute(sa.select(*columns)):
        per_cut.setdefault(cut, []).append(values)

    def figures(cut: str, rows: list[tuple]) -> tuple[SpeedRow, FunnelRow]:
        series = [[r[i] for r in rows if r[i] is not None] for i in range(len(METRICS))]
        paired = [x for s in series for x in (len(s), median(s) if s else None)]
        leased, lost = (sum(r[i] is not None for r in rows) for i in (3, 4))
        toured, applied = len(series[1]), len(series[2])
        return SpeedRow(cut, len(rows), *paired), FunnelRow(
            cut, len(rows), toured, applied, leased, lost
        )

    ordered = [figures(cut, per_cut[cut]) for cut in sorted(per_cut)]
    overall, _ = figures("All", [r for rows in per_cut.values() for r in rows])
    return [f for _, f in ordered], overall, [s for s, _ in ordered]
