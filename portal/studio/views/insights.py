"""Funnel insights at /studio/insights, and every table of it as CSV.

Marketers (and admins) only, as every studio page; only aggregates reach the page.
"""

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask import Response, render_template, request

from portal.extensions import db
from portal.models import LeadOutcome, Property, StaffUser, Tour
from portal.models.base import utcnow
from portal.studio.charts import bar_chart, paired_chart
from portal.studio.insights_forms import InsightsCsvForm, InsightsFilterForm, choices
from portal.studio.insights_query import CUTS, PERIODS, InsightsQuery
from portal.studio.insights_tables import (
    DEFINITIONS,
    TABLES,
    Insights,
    hours,
    percent,
    too_small,
)
from portal.studio.views import bp

NO_STORE = {"Cache-Control": "private, no-store"}


def _set_choices(form: InsightsFilterForm) -> None:
    """Filter choices from what exists: communities, agents who led tours, sources."""
    form.community.choices += [
        (str(pid), name)
        for pid, name in db.session.execute(
            sa.select(Property.id, Property.name).order_by(Property.name)
        )
    ]
    agents = (
        sa.select(StaffUser.id, StaffUser.name)
        .where(StaffUser.id.in_(sa.select(Tour.agent_id).where(Tour.agent_id.is_not(None))))
        .order_by(StaffUser.name)
    )
    form.agent.choices += choices((str(sid), name) for sid, name in db.session.execute(agents))
    sources = sa.select(LeadOutcome.first_source).distinct().order_by(LeadOutcome.first_source)
    form.source.choices += choices((s, s) for s in db.session.scalars(sources))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def query_from(form: InsightsFilterForm, now: datetime) -> InsightsQuery:
    """The query a valid form asks for (dates are whole UTC days, the end day included)."""
    filters = {
        "by": form.by.data,
        "property_id": int(form.community.data) if form.community.data else None,
        "agent_id": int(form.agent.data) if form.agent.data else None,
        "source": form.source.data or None,
    }
    if form.start.data and form.end.data:
        return InsightsQuery(
            now=now,
            start=_midnight(form.start.data),
            end=_midnight(form.end.data) + timedelta(days=1),
            **filters,
        )
    return InsightsQuery.last_days(now, PERIODS[form.period.data], **filters)


def _mix_bars(rows: list) -> list[tuple]:
    """The eight most frequent topics; a side with too few prospects draws no bar."""

    def share(value, n) -> float:
        return 0 if too_small(n) else value or 0

    return [
        (r.label, share(r.leased_share, r.leased_total), share(r.lost_share, r.lost_total))
        for r in rows[:8]
    ]


def _charts(report: Insights) -> dict:
    total = report.funnel_total
    stages = [
        ("Leads", total.leads, str(total.leads)),
        (
            "Toured",
            total.toured,
            f"{total.toured} ({percent(total.toured_rate, total.leads)} of leads)",
        ),
        (
            "Applied",
            total.applied,
            f"{total.applied} ({percent(total.applied_rate, total.toured)} of toured)",
        ),
        (
            "Leased",
            total.leased,
            f"{total.leased} ({percent(total.leased_rate, total.applied)} of applied)",
        ),
    ]
    cut = CUTS[report.query.by].lower()
    return {
        "funnel": bar_chart(
            "The funnel", "Leads in the period and how many toured, applied and leased.", stages
        ),
        "conversion": bar_chart(
            f"Lead to lease by {cut}",
            f"The share of leads that leased, per {cut}.",
            [
                (
                    r.cut,
                    0 if too_small(r.leads) else r.lead_to_lease or 0,
                    percent(r.lead_to_lease, r.leads),
                )
                for r in report.funnel_rows
            ],
        ),
        "priorities": paired_chart(
            "Priorities: leased vs lost",
            "Share of leased and of lost prospects for whom each topic mattered.",
            _mix_bars(report.priorities),
            ("Leased", "Lost"),
        ),
        "objections": paired_chart(
            "Objections: leased vs lost",
            "Share of leased and of lost prospects who raised each objection on a tour.",
            _mix_bars(report.objections),
            ("Leased", "Lost"),
        ),
    }


@bp.get("/insights")
def insights():
    form = InsightsFilterForm(request.args)
    _set_choices(form)
    if not form.validate():
        page = render_template(
            "studio/insights.html", form=form, report=None, definitions=DEFINITIONS
        )
        return page, 422, NO_STORE
    report = Insights.compute(query_from(form, utcnow()))
    tables = [report.table(name) for name in TABLES]
    page = render_template(
        "studio/insights.html",
        form=form,
        report=report,
        tables=tables,
        charts=_charts(report),
        definitions=DEFINITIONS,
        percent=percent,
        hours=hours,
        too_small=too_small,
        csv_args={k: v for k, v in request.args.items() if k in form._fields and v},
    )
    return page, 200, NO_STORE


@bp.get("/insights.csv")
def insights_csv():
    form = InsightsCsvForm(request.args)
    _set_choices(form)
    if not form.validate():
        problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        return Response(problems + "\n", 400, {"Content-Type": "text/plain; charset=utf-8"})
    name = form.table.data
    now = utcnow()
    table = Insights.compute(query_from(form, now), only=name).table(name)
    filename = f"insights-{name}-{now:%Y-%m-%d}.csv"
    return Response(
        table.csv(),
        200,
        {
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
            **NO_STORE,
        },
    )
