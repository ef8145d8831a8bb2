"""Follow-up performance: messages sent, and what their recipients did afterwards.

A **follow-up** is a ``FollowupMessage`` the follow-up plans sent: an SMS sent, or an
email the outbox delivered. Its kind is its plan's trigger and its step's content
("After a tour: recap"). Per kind, for messages sent in the period to prospects in the
filters (a community: its plans; an agent: prospects who toured with them):

* **sent**: messages delivered; **recipients**: distinct prospects;
* **unsubscribed**: recipients who unsubscribed after their first such message;
* **replied**: messages after which the prospect answered: an agent marked the reply
  on the plan (``FollowupRun.replied_at``), or the prospect booked or requested a
  tour within ``REPLY_WINDOW``;
* **leased after**: recipients who reached "leased" after their first such message.
"""

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from portal.extensions import db
from portal.models import (
    ContactPreference,
    FollowupMessage,
    FollowupPlan,
    FollowupRun,
    FollowupStep,
    OutboxEmail,
    Prospect,
    StageChange,
    Tour,
)
from portal.studio.funnel import rate
from portal.studio.insights_query import InsightsQuery
from portal.studio.insights_sql import seconds_between
from portal.studio.lead_outcomes import source_of

REPLY_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class FollowUpRow:
    kind: str
    sent: int
    recipients: int
    unsubscribed: int
    replied: int
    leased_after: int

    @property
    def reply_rate(self) -> float | None:
        return rate(self.replied, self.sent)

    @property
    def unsubscribe_rate(self) -> float | None:
        return rate(self.unsubscribed, self.recipients)


TRIGGER_LABELS = {
    "completed": "After a tour",
    "no_show": "Missed tour",
    "cancelled": "Cancelled tour",
    "favourites": "Saved homes",
}


def kind_label(trigger: str, content: str) -> str:
    return f"{TRIGGER_LABELS.get(trigger, trigger)}: {content.replace('_', ' ')}"


def follow_up_messages(q: InsightsQuery) -> sa.Subquery:
    """One row per follow-up delivered in the period: trigger, content, prospect, sent_at."""
    m = FollowupMessage
    sent_at = sa.func.coalesce(m.sent_at, OutboxEmail.sent_at)
    delivered = sa.or_(m.status == "sent", OutboxEmail.status == "sent")
    stmt = (
        sa.select(
            m.id,
            m.run_id,
            FollowupPlan.trigger,
            FollowupStep.content,
            m.prospect_id,
            sent_at.label("sent_at"),
        )
        .join(FollowupPlan, FollowupPlan.id == m.plan_id)
        .join(FollowupStep, FollowupStep.id == m.step_id)
        .outerjoin(OutboxEmail, OutboxEmail.id == m.outbox_email_id)
        .where(delivered, sent_at >= q.start, sent_at < q.end, sent_at <= q.now)
    )
    if q.property_id is not None:
        stmt = stmt.where(FollowupPlan.property_id == q.property_id)
    if q.agent_id is not None:
        toured_with = sa.select(Tour.id).where(
            Tour.prospect_id == m.prospect_id, Tour.agent_id == q.agent_id
        )
        stmt = stmt.where(toured_with.exists())
    if q.source is not None:
        stmt = stmt.join(Prospect, Prospect.id == m.prospect_id).where(
            source_of(Prospect.first_touch) == q.source
        )
    return stmt.subquery("follow_up")


def follow_ups(q: InsightsQuery) -> list[FollowUpRow]:
    """Sent, recipients, unsubscribed, replied and leased after, per message kind."""
    m = follow_up_messages(q)
    booked = (
        sa.select(Tour.id)
        .where(
            Tour.prospect_id == m.c.prospect_id,
            Tour.created_at > m.c.sent_at,
            seconds_between(Tour.created_at, m.c.sent_at) <= REPLY_WINDOW.total_seconds(),
            Tour.created_at <= q.now,
        )
        .exists()
    )
    marked = (
        sa.select(FollowupRun.id)
        .where(
            FollowupRun.id == m.c.run_id,
            FollowupRun.replied_at >= m.c.sent_at,
            FollowupRun.replied_at <= q.now,
        )
        .exists()
    )
    replied = sa.or_(marked, booked)
    per_recipient = (
        sa.select(
            m.c.trigger,
            m.c.content,
            m.c.prospect_id,
            sa.func.count().label("sent"),
            sa.func.sum(sa.case((replied, 1), else_=0)).label("replied"),
            sa.func.min(m.c.sent_at).label("first_sent"),
        )
        .group_by(m.c.trigger, m.c.content, m.c.prospect_id)
        .subquery("recipient")
    )
    r = per_recipient.c
    leased = (
        sa.select(StageChange.id)
        .where(
            StageChange.prospect_id == r.prospect_id,
            StageChange.to_stage == "leased",
            StageChange.at > r.first_sent,
            StageChange.at <= q.now,
        )
        .exists()
    )
    unsubscribed = sa.and_(
        ContactPreference.unsubscribed_at > r.first_sent,
        ContactPreference.unsubscribed_at <= q.now,
    )
    rows = db.session.execute(
        sa.select(
            r.trigger,
            r.content,
            sa.func.sum(r.sent),
            sa.func.count(),
            sa.func.sum(sa.case((unsubscribed, 1), else_=0)),
            sa.func.sum(r.replied),
            sa.func.sum(sa.case((leased, 1), else_=0)),
        )
        .select_from(per_recipient)
        .outerjoin(ContactPreference, ContactPreference.prospect_id == r.prospect_id)
        .group_by(r.trigger, r.content)
    )
    found = [
        FollowUpRow(kind_label(trigger, content), *(int(n or 0) for n in counts))
        for trigger, content, *counts in rows
    ]
    return sorted(found, key=lambda r: r.kind)


def total(rows: list[FollowUpRow]) -> FollowUpRow:
    """All kinds together (a prospect messaged in two kinds counts as two recipients)."""
    names = ("sent", "recipients", "unsubscribed", "replied", "leased_after")
    return FollowUpRow("All", *(sum(getattr(r, n) for r in rows) for n in names))
