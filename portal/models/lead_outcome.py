"""What became of each lead: one narrow row per prospect and property, for the insights.

A lead is a prospect's first inbound contact per property (their first tour booking
or request there). ``LeadOutcome`` keeps, per lead, the facts the funnel insights
group and count: when it arrived, its sources, its agent, and the first moment it
toured, applied, leased and got a response. ``LeadTopic`` keeps the priority topics
and tour objections behind it. Both are derived data: ``portal.studio.lead_outcomes``
computes them from the tours, stage history, captures and mail, and keeps them current
in the same transaction as every flush that changes those facts; ``flask insights
rebuild`` recomputes them from scratch.

Every instant is the first one ever recorded, not one "up to now": the insights read
``toured_at <= now`` and so on, which gives the same answer for any ``now``.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.base import UTCDateTime, column_in

TOPIC_KINDS = ("priority", "objection")


class LeadOutcome(db.Model):
    __tablename__ = "lead_outcome"
    __table_args__ = (
        # The default view and its filters: leads of a period, narrowed by one column.
        sa.Index("ix_lead_outcome_lead_at", "lead_at"),
        sa.Index("ix_lead_outcome_property", "property_id", "lead_at"),
        sa.Index("ix_lead_outcome_agent", "agent_id", "lead_at"),
        sa.Index("ix_lead_outcome_source", "first_source", "lead_at"),
    )

    prospect_id: Mapped[int] = mapped_column(
        sa.ForeignKey("prospect.id", ondelete="CASCADE"), primary_key=True
    )
    property_id: Mapped[int] = mapped_column(
        sa.ForeignKey("property.id", ondelete="CASCADE"), primary_key=True
    )
    # The agent of the lead's first booking (None: self-guided or unassigned).
    agent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    lead_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The campaign source of the prospect's first and last touch, or the "none" label.
    first_source: Mapped[str] = mapped_column(sa.Text)
    last_source: Mapped[str] = mapped_column(sa.Text)
    # The prospect's current stage (a lead is "lost" while its prospect is).
    stage: Mapped[str] = mapped_column(sa.String(16))
    toured_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set only when the application is attributed to this property.
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    leased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LeadTopic(db.Model):
    """A priority topic that mattered to a lead's prospect, or an objection on its tours."""

    __tablename__ = "lead_topic"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["prospect_id", "property_id"],
            ["lead_outcome.prospect_id", "lead_outcome.property_id"],
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(column_in("kind", TOPIC_KINDS), name="kind_known"),
        # The period's topics of one kind, without reading the whole year's.
        sa.Index("ix_lead_topic_kind_lead_at", "kind", "lead_at"),
    )

    prospect_id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    # A copy of the lead's (rows are only ever written with their lead).
    lead_at: Mapped[datetime] = mapped_column(UTCDateTime)
