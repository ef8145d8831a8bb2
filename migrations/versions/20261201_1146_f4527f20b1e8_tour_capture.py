"""Tour capture: the agent's completion form, check-in time and an optimistic lock on tours.

Revision ID: f4527f20b1e8
Revises: 5c381a41c0ad
Create Date: 2026-12-01 11:46:25.349498

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f4527f20b1e8'
down_revision = '5c381a41c0ad'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tour_capture',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tour_id', sa.Integer(), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=True),
    sa.Column('units_shown', sa.JSON(), nullable=False),
    sa.Column('interest_level', sa.Integer(), nullable=False),
    sa.Column('liked', sa.String(length=1000), nullable=False),
    sa.Column('objections', sa.JSON(), nullable=False),
    sa.Column('objection_note', sa.String(length=500), nullable=False),
    sa.Column('next_step', sa.String(length=16), nullable=False),
    sa.Column('decide_by', sa.Date(), nullable=True),
    sa.Column('lost_reason', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.String(length=2000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("next_step <> 'decide_by' OR decide_by IS NOT NULL", name=op.f('ck_tour_capture_decide_by_has_date')),
    sa.CheckConstraint("next_step <> 'lost' OR lost_reason IS NOT NULL", name=op.f('ck_tour_capture_lost_has_reason')),
    sa.CheckConstraint("next_step IN ('apply', 'second_visit', 'decide_by', 'lost')", name=op.f('ck_tour_capture_next_step_known')),
    sa.CheckConstraint('interest_level BETWEEN 1 AND 5', name=op.f('ck_tour_capture_interest_range')),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'], name=op.f('fk_tour_capture_staff_user_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tour_id'], ['tour.id'], name=op.f('fk_tour_capture_tour_id_tour'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tour_capture')),
    sa.UniqueConstraint('tour_id', name=op.f('uq_tour_capture_tour_id'))
    )
    with op.batch_alter_table('tour', schema=None) as batch_op:
        # Existing tours start at version 1; the server default only fills them in.
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_tour_property_starts', ['property_id', 'starts_at'], unique=False)
    with op.batch_alter_table('tour', schema=None) as batch_op:
        batch_op.alter_column('version', server_default=None)



def downgrade():
    with op.batch_alter_table('tour', schema=None) as batch_op:
        batch_op.drop_index('ix_tour_property_starts')
        batch_op.drop_column('checked_in_at')
        batch_op.drop_column('version')

    op.drop_table('tour_capture')
