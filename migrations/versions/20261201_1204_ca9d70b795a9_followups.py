"""Follow-ups: per-property plans and steps, snippets, runs and planned messages; marketing consent.

Revision ID: ca9d70b795a9
Revises: 79b69fa16efc
Create Date: 2026-12-01 11:57:57.161275

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ca9d70b795a9'
down_revision = '79b69fa16efc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('followup_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('property_id', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("trigger IN ('completed', 'no_show', 'cancelled', 'favourites')", name=op.f('ck_followup_plan_trigger_known')),
    sa.ForeignKeyConstraint(['property_id'], ['property.id'], name=op.f('fk_followup_plan_property_id_property'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_followup_plan')),
    sa.UniqueConstraint('property_id', 'trigger', name='uq_followup_plan_trigger')
    )
    op.create_table('followup_settings',
    sa.Column('property_id', sa.Integer(), nullable=False),
    sa.Column('send_mode', sa.String(length=8), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("send_mode IN ('auto', 'review')", name=op.f('ck_followup_settings_mode_known')),
    sa.ForeignKeyConstraint(['property_id'], ['property.id'], name=op.f('fk_followup_settings_property_id_property'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('property_id', name=op.f('pk_followup_settings'))
    )
    op.create_table('followup_snippet',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=24), nullable=False),
    sa.Column('property_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['property_id'], ['property.id'], name=op.f('fk_followup_snippet_property_id_property'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by'], ['staff_user.id'], name=op.f('fk_followup_snippet_updated_by_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_followup_snippet'))
    )
    with op.batch_alter_table('followup_snippet', schema=None) as batch_op:
        batch_op.create_index('uq_followup_snippet_default', ['topic'], unique=True, sqlite_where=sa.text('property_id IS NULL'), postgresql_where=sa.text('property_id IS NULL'))
        batch_op.create_index('uq_followup_snippet_property', ['topic', 'property_id'], unique=True, sqlite_where=sa.text('property_id IS NOT NULL'), postgresql_where=sa.text('property_id IS NOT NULL'))

    op.create_table('followup_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('content', sa.String(length=16), nullable=False),
    sa.Column('topic_rank', sa.Integer(), nullable=True),
    sa.Column('delay_days', sa.Integer(), nullable=False),
    sa.Column('send_at', sa.Time(), nullable=True),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('expires_after_days', sa.Integer(), nullable=False),
    sa.CheckConstraint("(content = 'priority') = (topic_rank IS NOT NULL)", name=op.f('ck_followup_step_rank_for_priority')),
    sa.CheckConstraint("channel IN ('preferred', 'email', 'sms', 'phone')", name=op.f('ck_followup_step_channel_known')),
    sa.CheckConstraint("content IN ('recap', 'priority', 'rebook', 'gentle_offer', 'favourites', 'quiet_close')", name=op.f('ck_followup_step_content_known')),
    sa.CheckConstraint('delay_days BETWEEN 0 AND 90', name=op.f('ck_followup_step_delay_range')),
    sa.CheckConstraint('expires_after_days BETWEEN 1 AND 60', name=op.f('ck_followup_step_expiry_range')),
    sa.ForeignKeyConstraint(['plan_id'], ['followup_plan.id'], name=op.f('fk_followup_step_plan_id_followup_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_followup_step')),
    sa.UniqueConstraint('plan_id', 'position', name='uq_followup_step_position')
    )
    op.create_table('followup_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('prospect_id', sa.Integer(), nullable=False),
    sa.Column('tour_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('stop_reason', sa.String(length=120), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('next_position', sa.Integer(), nullable=False),
    sa.Column('next_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('active', 'stopped', 'done')", name=op.f('ck_followup_run_status_known')),
    sa.ForeignKeyConstraint(['plan_id'], ['followup_plan.id'], name=op.f('fk_followup_run_plan_id_followup_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospect.id'], name=op.f('fk_followup_run_prospect_id_prospect'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tour_id'], ['tour.id'], name=op.f('fk_followup_run_tour_id_tour'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_followup_run')),
    sa.UniqueConstraint('plan_id', 'prospect_id', 'tour_id', name='uq_followup_run_once')
    )
    with op.batch_alter_table('followup_run', schema=None) as batch_op:
        batch_op.create_index('ix_followup_run_planning', ['status', 'next_due_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_followup_run_prospect_id'), ['prospect_id'], unique=False)

    op.create_table('followup_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('prospect_id', sa.Integer(), nullable=False),
    sa.Column('tour_id', sa.Integer(), nullable=True),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('skip_reason', sa.String(length=200), nullable=True),
    sa.Column('scheduled_for', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('outbox_email_id', sa.Integer(), nullable=True),
    sa.Column('lease_owner', sa.String(length=40), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=True),
    sa.Column('text_body', sa.Text(), nullable=True),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('edited_subject', sa.String(length=300), nullable=True),
    sa.Column('edited_text', sa.Text(), nullable=True),
    sa.Column('approved_by', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("channel IN ('email', 'sms', 'phone')", name=op.f('ck_followup_message_channel_known')),
    sa.CheckConstraint("status <> 'skipped' OR skip_reason IS NOT NULL", name=op.f('ck_followup_message_skip_reason')),
    sa.CheckConstraint("status IN ('scheduled', 'awaiting_review', 'sending', 'sent', 'skipped', 'failed')", name=op.f('ck_followup_message_status_known')),
    sa.ForeignKeyConstraint(['approved_by'], ['staff_user.id'], name=op.f('fk_followup_message_approved_by_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['outbox_email_id'], ['outbox_email.id'], name=op.f('fk_followup_message_outbox_email_id_outbox_email'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['run_id'], ['followup_run.id'], name=op.f('fk_followup_message_run_id_followup_run'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['step_id'], ['followup_step.id'], name=op.f('fk_followup_message_step_id_followup_step'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_followup_message')),
    sa.UniqueConstraint('message_id', name=op.f('uq_followup_message_message_id')),
    sa.UniqueConstraint('run_id', 'position', name='uq_followup_message_step')
    )
    with op.batch_alter_table('followup_message', schema=None) as batch_op:
        batch_op.create_index('ix_followup_message_due', ['status', 'scheduled_for'], unique=False)
        batch_op.create_index('ix_followup_message_sent', ['prospect_id', 'sent_at'], unique=False)

    with op.batch_alter_table('contact_preference', schema=None) as batch_op:
        batch_op.add_column(sa.Column('marketing_consent_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('contact_preference', schema=None) as batch_op:
        batch_op.drop_column('marketing_consent_at')

    with op.batch_alter_table('followup_message', schema=None) as batch_op:
        batch_op.drop_index('ix_followup_message_sent')
        batch_op.drop_index('ix_followup_message_due')

    op.drop_table('followup_message')
    with op.batch_alter_table('followup_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_followup_run_prospect_id'))
        batch_op.drop_index('ix_followup_run_planning')

    op.drop_table('followup_run')
    op.drop_table('followup_step')
    with op.batch_alter_table('followup_snippet', schema=None) as batch_op:
        batch_op.drop_index('uq_followup_snippet_property', sqlite_where=sa.text('property_id IS NOT NULL'), postgresql_where=sa.text('property_id IS NOT NULL'))
        batch_op.drop_index('uq_followup_snippet_default', sqlite_where=sa.text('property_id IS NULL'), postgresql_where=sa.text('property_id IS NULL'))

    op.drop_table('followup_snippet')
    op.drop_table('followup_settings')
    op.drop_table('followup_plan')
