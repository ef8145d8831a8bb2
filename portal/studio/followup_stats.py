"""Follow-up performance: messages sent, and what their recipients did afterwards.

Until the follow-ups tables land, a **follow-up** is an outbox email of a kind the
recipient did not ask for: every kind except the transactional ones (tour notices
``tour_*``, which include confirmations and reminders, and sign-in links). That rule
lives in ``is_follow_up_email`` and ``follow_up_messages`` only, so pointing the
insights at the follow-up tables later changes these two functions and nothing else.

Per message kind, for messages sent in the period to prospects in the filters:

* **sent**: messages delivered (status sent); **recipients**: distinct prospects;
* **unsubscribed**: recipients who unsubscribed after their first such message;
* **replied**: messages after which the prospect came back within ``REPLY_WINDOW``:
  booked or requested a tour (we keep no inbound mail, so a reply is an action);
* **leased after**: recipients who reached "leased" after their first such message.
"""

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from portal.extensions import db
from portal.models import ContactPreference, OutboxEmail, Prospect, StageChange, Tour
from portal.studio.funnel import rate
from portal.studio.insights_query import InsightsQuery
from portal.studio.insights_sql import seconds_between
from portal.studio.lead_outcomes import is_follow_up_email, source_of

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


def follow_up_messages(q: InsightsQuery) -> sa.Subquery:
    """One row per follow-up sent in the period: kind, prospect, sent_at."""
    stmt = (
        sa.select(
            OutboxEmail.id,
            OutboxEmail.kind,
            Prospect.id.label("prospect_id"),
            OutboxEmail.sent_at,
        )
        .join(Prospect, Prospect.email == OutboxEmail.to_normalised)
        .where(
            is_follow_up_email(),
            OutboxEmail.status == "sent",
            OutboxEmail.sent_at >= q.start,
            OutboxEmail.sent_at < q.end,
            OutboxEmail.sent_at <= q.now,
        )
    )
    if q.property_id is not None or q.agent_id is not None:
        toured_there = sa.select(Tour.id).where(Tour.prospect_id == Prospect.id)
        if q.property_id is not None:
            toured_there = toured_there.where(Tour.property_id == q.property_id)
        if q.agent_id is not None:
            toured_there = toured_there.where(Tour.agent_id == q.agent_id)
        stmt = stmt.where(toured_there.exists())
    if q.source is not None:
        stmt = stmt.where(source_of(Prospect.first_touch) == q.source)
    return stmt.subquery("follow_up")


def follow_ups(q: InsightsQuery) -> list[FollowUpRow]:
    """Sent, recipients, unsubscribed, replied and leased after, per message kind."""
    m = follow_up_messages(q)
    replied = (
        sa.select(Tour.id)
        .where(
            Tour.prospect_id == m.c.prospect_id,
            Tour.created_at > m.c.sent_at,
            seconds_between(Tour.created_at, m.c.sent_at) <= REPLY_WINDOW.total_seconds(),
            Tour.created_at <= q.now,
        )
        .exists()
    )
    per_recipient = (
        sa.select(
            m.c.kind,
            m.c.prospect_id,
            sa.func.count().label("sent"),
            sa.func.sum(sa.case((replied, 1), else_=0)).label("replied"),
            sa.func.min(m.c.sent_at).label("first_sent"),
        )
        .group_by(m.c.kind, m.c.prospect_id)
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
            r.kind,
            sa.func.sum(r.sent),
            sa.func.count(),
            sa.func.sum(sa.case((unsubscribed, 1), else_=0)),
            sa.func.sum(r.replied),
            sa.func.sum(sa.case((leased, 1), else_=0)),
        )
        .select_from(per_recipient)
        .outerjoin(ContactPreference, ContactPreference.prospect_id == r.prospect_id)
        .group_by(r.kind)
        .order_by(r.kind)
    )
    return [FollowUpRow(kind, *(int(n or 0) for n in counts)) for kind, *counts in rows]


def total(rows: list[FollowUpRow]) -> FollowUpRow:
    """All kinds together (a prospect messaged in two kinds counts as two recipients)."""
    names = ("sent", "recipients", "unsubscribed", "replied", "leased_after")
    return FollowUpRow("All", *(sum(getattr(r, n) for r in rows) for n in names))
