"""Follow-ups after a tour: plans with steps, marketers' snippets, and the messages planned.

A ``FollowupPlan`` belongs to one property and one trigger (a completed tour, a no-show,
a cancellation, favourites without a tour); its ``FollowupStep`` rows say when, on which
channel and with which content each message goes. A prospect enrolled in a plan has a
``FollowupRun``; the planner writes one ``FollowupMessage`` per step when the step
before it is finished, and the dispatcher claims due messages with a lease and hands
them to the outbox. ``FollowupSnippet`` is the marketers' text per content topic, per
community (or the house default when ``property_id`` is NULL).
"""

from datetime import datetime, time
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, column_in, utcnow

if TYPE_CHECKING:
    from portal.models.outbox import OutboxEmail
    from portal.models.property import Property

# What starts a plan (tour event kinds, plus favourites saved without any tour).
FOLLOWUP_TRIGGERS = ("completed", "no_show", "cancelled", "favourites")
# What a step says: a recap of the tour, the prospect's n-th priority topic, an offer to
# re-book, a gentle offer after a cancellation, their favourites, and the quiet close.
STEP_CONTENTS = ("recap", "priority", "rebook", "gentle_offer", "favourites", "quiet_close")
# "preferred" follows the prospect's chosen channel; a fixed channel is used only when it
# is the one they chose (an email prospect is never phoned).
STEP_CHANNELS = ("preferred", "email", "sms", "phone")
SEND_MODES = ("auto", "review")
RUN_STATUSES = ("active", "stopped", "done")
MESSAGE_STATUSES = ("scheduled", "awaiting_review", "sending", "sent", "skipped", "failed")
MESSAGE_CHANNELS = ("email", "sms", "phone")


class FollowupSettings(db.Model):
    """Per property: send follow-ups automatically, or only after an agent approved each."""

    __tablename__ = "followup_settings"
    __table_args__ = (sa.CheckConstraint(column_in("send_mode", SEND_MODES), name="mode_known"),)

    property_id: Mapped[int] = mapped_column(
        sa.ForeignKey("property.id", ondelete="CASCADE"), primary_key=True
    )
    send_mode: Mapped[str] = mapped_column(sa.String(8), default="auto")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class FollowupPlan(db.Model):
    __tablename__ = "followup_plan"
    __table_args__ = (
        sa.UniqueConstraint("property_id", "trigger", name="uq_followup_plan_trigger"),
        sa.CheckConstraint(column_in("trigger", FOLLOWUP_TRIGGERS), name="trigger_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(sa.ForeignKey("property.id", ondelete="CASCADE"))
    trigger: Mapped[str] = mapped_column(sa.String(16))
    name: Mapped[str] = mapped_column(sa.String(120))
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    steps: Mapped[list["FollowupStep"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="FollowupStep.position"
    )
    # Declared last: the name `property` would shadow the builtin decorator above it.
    property: Mapped["Property"] = relationship()


class FollowupStep(db.Model):
    """One message of a plan: ``delay_days`` after the previous step (or the trigger)."""

    __tablename__ = "followup_step"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "position", name="uq_followup_step_position"),
        sa.CheckConstraint(column_in("content", STEP_CONTENTS), name="content_known"),
        sa.CheckConstraint(column_in("channel", STEP_CHANNELS), name="channel_known"),
        sa.CheckConstraint("delay_days BETWEEN 0 AND 90", name="delay_range"),
        sa.CheckConstraint("expires_after_days BETWEEN 1 AND 60", name="expiry_range"),
        sa.CheckConstraint(
            "(content = 'priority') = (topic_rank IS NOT NULL)", name="rank_for_priority"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("followup_plan.id", ondelete="CASCADE"))
    position: Mapped[int]
    content: Mapped[str] = mapped_column(sa.String(16))
    # For "priority" steps: 1 speaks to the prospect's top priority, 2 the next, ...
    topic_rank: Mapped[int | None]
    delay_days: Mapped[int] = mapped_column(default=1)
    # Local time of day (the prospect's zone) to send at; None: the delay from the moment.
    send_at: Mapped[time | None]
    channel: Mapped[str] = mapped_column(sa.String(10), default="preferred")
    # A message that could not go out within this many days of its time is skipped.
    expires_after_days: Mapped[int] = mapped_column(default=7)

    plan: Mapped[FollowupPlan] = relationship(back_populates="steps")


class FollowupSnippet(db.Model):
    """Marketers' text for one content topic (a priority topic or a step content)."""

    __tablename__ = "followup_snippet"
    __table_args__ = (
        sa.Index(
            "uq_followup_snippet_property",
            "topic",
            "property_id",
            unique=True,
            sqlite_where=sa.text("property_id IS NOT NULL"),
            postgresql_where=sa.text("property_id IS NOT NULL"),
        ),
        sa.Index(
            "uq_followup_snippet_default",
            "topic",
            unique=True,
            sqlite_where=sa.text("property_id IS NULL"),
            postgresql_where=sa.text("property_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(24))
    property_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("property.id", ondelete="CASCADE")
    )
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    updated_by: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class FollowupRun(db.Model):
    """A prospect going through one plan (after one tour, or for their favourites)."""

    __tablename__ = "followup_run"
    __table_args__ = (
        sa.CheckConstraint(column_in("status", RUN_STATUSES), name="status_known"),
        # The planner's batches: active runs waiting for their next message, by id.
        sa.Index("ix_followup_run_planning", "status", "next_due_at", "id"),
        sa.UniqueConstraint("plan_id", "prospect_id", "tour_id", name="uq_followup_run_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("followup_plan.id", ondelete="CASCADE"))
    prospect_id: Mapped[int] = mapped_column(
        sa.ForeignKey("prospect.id", ondelete="CASCADE"), index=True
    )
    tour_id: Mapped[int | None] = mapped_column(sa.ForeignKey("tour.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(sa.String(8), default="active")
    stop_reason: Mapped[str | None] = mapped_column(sa.String(120))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The step the planner writes next, and the moment it is for (None: waiting for the
    # message before it to finish).
    next_position: Mapped[int] = mapped_column(default=1)
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[FollowupPlan] = relationship()


class FollowupMessage(db.Model):
    """One planned message; its Message-ID is fixed when the row is written."""

    __tablename__ = "followup_message"
    __table_args__ = (
        sa.CheckConstraint(column_in("status", MESSAGE_STATUSES), name="status_known"),
        sa.CheckConstraint(column_in("channel", MESSAGE_CHANNELS), name="channel_known"),
        sa.CheckConstraint("status <> 'skipped' OR skip_reason IS NOT NULL", name="skip_reason"),
        sa.UniqueConstraint("run_id", "position", name="uq_followup_message_step"),
        # The dispatcher's claim: due rows by time.
        sa.Index("ix_followup_message_due", "status", "scheduled_for"),
        # The weekly cap: what went to a prospect lately.
        sa.Index("ix_followup_message_sent", "prospect_id", "sent_at"),
        # The backlog warning and the outbox sync go from an outbox row to its message.
        sa.Index("ix_followup_message_outbox", "outbox_email_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("followup_run.id", ondelete="CASCADE"))
    # Copies of the run's, so the caps and the queue read one table; the run's foreign keys
    # guard them (and cascade), which keeps the planner's bulk INSERT to two key checks.
    prospect_id: Mapped[int]
    tour_id: Mapped[int | None]
    plan_id: Mapped[int]
    step_id: Mapped[int] = mapped_column(sa.ForeignKey("followup_step.id", ondelete="CASCADE"))
    position: Mapped[int]
    channel: Mapped[str] = mapped_column(sa.String(8), default="email")
    status: Mapped[str] = mapped_column(sa.String(16), default="scheduled")
    skip_reason: Mapped[str | None] = mapped_column(sa.String(200))
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_id: Mapped[str] = mapped_column(sa.String(200), unique=True)
    outbox_email_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("outbox_email.id", ondelete="SET NULL")
    )
    lease_owner: Mapped[str | None] = mapped_column(sa.String(40))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    # What was sent (or last previewed for review), and the facts it used.
    subject: Mapped[str | None] = mapped_column(sa.String(300))
    text_body: Mapped[str | None] = mapped_column(sa.Text)
    facts: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)
    # An agent's edit replaces the rendered text; approval lets a reviewed message go.
    edited_subject: Mapped[str | None] = mapped_column(sa.String(300))
    edited_text: Mapped[str | None] = mapped_column(sa.Text)
    approved_by: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    run: Mapped[FollowupRun] = relationship()
    step: Mapped[FollowupStep] = relationship()
    outbox_email: Mapped["OutboxEmail | None"] = relationship()
    plan: Mapped[FollowupPlan] = relationship(
        primaryjoin="FollowupPlan.id == foreign(FollowupMessage.plan_id)", viewonly=True
    )
