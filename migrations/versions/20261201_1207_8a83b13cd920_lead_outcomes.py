"""Lead outcomes for the insights: one narrow row per lead, its topics, backfilled.

``lead_outcome`` and ``lead_topic`` are derived data (see portal.models.lead_outcome);
the backfill computes them from the existing tours, stage history, captures and mail
with the very code that keeps them current, and ``flask insights rebuild`` can redo it.

Revision ID: 8a83b13cd920
Revises: 69a880bc067b
Create Date: 2026-12-01 15:21:19.509699

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8a83b13cd920'
down_revision = '69a880bc067b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lead_outcome',
    sa.Column('prospect_id', sa.Integer(), nullable=False),
    sa.Column('property_id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('lead_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('first_source', sa.Text(), nullable=False),
    sa.Column('last_source', sa.Text(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('toured_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('leased_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agent_id'], ['staff_user.id'], name=op.f('fk_lead_outcome_agent_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['property_id'], ['property.id'], name=op.f('fk_lead_outcome_property_id_property'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospect.id'], name=op.f('fk_lead_outcome_prospect_id_prospect'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('prospect_id', 'property_id', name=op.f('pk_lead_outcome'))
    )
    with op.batch_alter_table('lead_outcome', schema=None) as batch_op:
        batch_op.create_index('ix_lead_outcome_agent', ['agent_id', 'lead_at'], unique=False)
        batch_op.create_index('ix_lead_outcome_lead_at', ['lead_at'], unique=False)
        batch_op.create_index('ix_lead_outcome_property', ['property_id', 'lead_at'], unique=False)
        batch_op.create_index('ix_lead_outcome_source', ['first_source', 'lead_at'], unique=False)

    op.create_table('lead_topic',
    sa.Column('prospect_id', sa.Integer(), nullable=False),
    sa.Column('property_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.Column('lead_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('priority', 'objection')", name=op.f('ck_lead_topic_kind_known')),
    sa.ForeignKeyConstraint(['prospect_id', 'property_id'], ['lead_outcome.prospect_id', 'lead_outcome.property_id'], name=op.f('fk_lead_topic_prospect_id_lead_outcome'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('prospect_id', 'property_id', 'kind', 'topic', name=op.f('pk_lead_topic'))
    )
    with op.batch_alter_table('lead_topic', schema=None) as batch_op:
        batch_op.create_index('ix_lead_topic_kind_lead_at', ['kind', 'lead_at'], unique=False)
    # The code of today's models: a later migration that changes these tables brings
    # its own backfill, so this one only ever runs against the schema it created.
    from portal.studio.lead_outcomes import refresh

    refresh(op.get_bind())


def downgrade():
    with op.batch_alter_table('lead_topic', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_topic_kind_lead_at')
    op.drop_table('lead_topic')
    with op.batch_alter_table('lead_outcome', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_outcome_source')
        batch_op.drop_index('ix_lead_outcome_property')
        batch_op.drop_index('ix_lead_outcome_lead_at')
        batch_op.drop_index('ix_lead_outcome_agent')

    op.drop_table('lead_outcome')
