"""Staff prospects: notes, stage history, the assigned agent, last contact, list indexes.

Revision ID: b81c2f8faa84
Revises: 0b4bb28cc1fc
Create Date: 2026-12-01 12:02:35.458911

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b81c2f8faa84'
down_revision = '0b4bb28cc1fc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('prospect_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prospect_id', sa.Integer(), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.String(length=2000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospect.id'], name=op.f('fk_prospect_note_prospect_id_prospect'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'], name=op.f('fk_prospect_note_staff_user_id_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prospect_note'))
    )
    with op.batch_alter_table('prospect_note', schema=None) as batch_op:
        batch_op.create_index('ix_prospect_note_prospect', ['prospect_id', 'created_at'], unique=False)

    op.create_table('prospect_stage_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prospect_id', sa.Integer(), nullable=False),
    sa.Column('from_stage', sa.String(length=16), nullable=True),
    sa.Column('to_stage', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('actor', sa.String(length=40), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospect.id'], name=op.f('fk_prospect_stage_change_prospect_id_prospect'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prospect_stage_change'))
    )
    with op.batch_alter_table('prospect_stage_change', schema=None) as batch_op:
        batch_op.create_index('ix_prospect_stage_change_prospect', ['prospect_id', 'changed_at'], unique=False)

    with op.batch_alter_table('prospect', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assigned_agent_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('last_contact_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_prospect_assigned_agent_id', ['assigned_agent_id', 'id'], unique=False)
        batch_op.create_index('ix_prospect_last_contact', ['last_contact_at'], unique=False)
        batch_op.create_index('ix_prospect_stage_id', ['stage', 'id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_prospect_assigned_agent_id_staff_user'), 'staff_user', ['assigned_agent_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('tour', schema=None) as batch_op:
        batch_op.create_index('ix_tour_property_prospect', ['property_id', 'prospect_id'], unique=False)



def downgrade():
    with op.batch_alter_table('tour', schema=None) as batch_op:
        batch_op.drop_index('ix_tour_property_prospect')

    with op.batch_alter_table('prospect', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_prospect_assigned_agent_id_staff_user'), type_='foreignkey')
        batch_op.drop_index('ix_prospect_stage_id')
        batch_op.drop_index('ix_prospect_last_contact')
        batch_op.drop_index('ix_prospect_assigned_agent_id')
        batch_op.drop_column('last_contact_at')
        batch_op.drop_column('assigned_agent_id')

    with op.batch_alter_table('prospect_stage_change', schema=None) as batch_op:
        batch_op.drop_index('ix_prospect_stage_change_prospect')

    op.drop_table('prospect_stage_change')
    with op.batch_alter_table('prospect_note', schema=None) as batch_op:
        batch_op.drop_index('ix_prospect_note_prospect')

    op.drop_table('prospect_note')
