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

Medians are computed in the database with window functions, per cut and overall.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from portal.extensions import db
from portal.models import OutboxEmail, Prospect, Tour, TourStatusChange
from portal.studio.followup_stats import is_follow_up_email
from portal.studio.funnel import outcomes
from portal.studio.insights_query import InsightsQuery
from portal.studio.insights_sql import median_by, seconds_between

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


def first_responses(q: InsightsQuery, lead: sa.Subquery) -> sa.Subquery:
    """Per lead, the first staff step on its tours or follow-up email after it."""
    staff_steps = (
        sa.select(
            Tour.prospect_id,
            Tour.property_id,
            TourStatusChange.changed_at.label("at"),
        )
        .join(Tour, Tour.id == TourStatusChange.tour_id)
        .where(TourStatusChange.actor.like("staff:%"))
    )
    follow_ups = (
        sa.select(
            Prospect.id.label("prospect_id"),
            sa.null().label("property_id"),
            OutboxEmail.created_at.label("at"),
        )
        .join(Prospect, Prospect.email == OutboxEmail.to_normalised)
        .where(is_follow_up_email())
    )
    events = sa.union_all(staff_steps, follow_ups).subquery("response_event")
    e = events.c
    return (
        sa.select(
            lead.c.prospect_id,
            lead.c.property_id,
            sa.func.min(e.at).label("responded_at"),
        )
        .join(
            events,
            sa.and_(
                e.prospect_id == lead.c.prospect_id,
                sa.or_(e.property_id.is_(None), e.property_id == lead.c.property_id),
                e.at >= lead.c.lead_at,
                e.at <= q.now,
            ),
        )
        .group_by(lead.c.prospect_id, lead.c.property_id)
        .subquery("first_response")
    )


def speed(q: InsightsQuery) -> tuple[SpeedRow, list[SpeedRow]]:
    """The overall row and one row per cut."""
    o = outcomes(q).subquery("outcome")
    response = first_responses(q, o)
    durations = (
        sa.select(
            o.c.cut,
            seconds_between(response.c.responded_at, o.c.lead_at).label("response"),
            seconds_between(o.c.toured_at, o.c.lead_at).label("lead_to_tour"),
            seconds_between(o.c.applied_at, o.c.toured_at).label("tour_to_application"),
        )
        .select_from(o)
        .outerjoin(
            response,
            sa.and_(
                response.c.prospect_id == o.c.prospect_id,
                response.c.property_id == o.c.property_id,
            ),
        )
        .subquery("duration")
    )
    d = durations.c
    # One (group, value) row per lead and metric: "c|<metric>|<cut>" for the cut's
    # median and "a|<metric>" for the overall one.
    parts = []
    for metric in METRICS:
        value = d[metric].label("val")
        parts.append(sa.select((sa.literal(f"c|{metric}|") + d.cut).label("key"), value))
        parts.append(sa.select(sa.literal(f"a|{metric}").label("key"), value))
    keyed = sa.union_all(*parts).subquery("metric_value")
    medians = {
        key: float(median) for key, median, _n in db.session.execute(median_by(keyed, "key", "val"))
    }
    counts = db.session.execute(
        sa.select(d.cut, sa.func.count(), *(sa.func.count(d[m]) for m in METRICS)).group_by(d.cut)
    ).all()
    all_counts = [sum(row[i] for row in counts) for i in range(1, 5)]

    def row(cut: str, key_of, n: tuple) -> SpeedRow:
        def median(metric: str) -> float | None:
            return medians.get(key_of(metric))

        return SpeedRow(
            cut,
            n[0],
            n[1],
            median("response"),
            n[2],
            median("lead_to_tour"),
            n[3],
            median("tour_to_application"),
        )

    rows = [
        row(c[0], lambda m, cut=c[0]: f"c|{m}|{cut}", tuple(c[1:]))
        for c in sorted(counts, key=lambda c: c[0])
    ]
    return row("All", lambda m: f"a|{m}", tuple(all_counts)), rows
