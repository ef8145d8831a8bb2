"""Stage history: one dated row per lifecycle move, and tour indexes, for the funnel insights.

Existing prospects past "prospect" get one backfilled row at their last stage change
(actor "backfill"), so their current stage is dated too.

Revision ID: 69a880bc067b
Revises: f4527f20b1e8
Create Date: 2026-12-01 11:58:14.162883

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '69a880bc067b'
down_revision = 'f4527f20b1e8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stage_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prospect_id', sa.Integer(), nullable=False),
    sa.Column('from_stage', sa.String(length=16), nullable=False),
    sa.Column('to_stage', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=40), nullable=False),
    sa.CheckConstraint("to_stage IN ('visitor', 'prospect', 'lead', 'toured', 'applied', 'leased', 'lost')", name=op.f('ck_stage_change_to_stage_known')),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospect.id'], name=op.f('fk_stage_change_prospect_id_prospect'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_change'))
    )
    with op.batch_alter_table('stage_change', schema=None) as batch_op:
        batch_op.create_index('ix_stage_change_prospect', ['prospect_id', 'to_stage', 'at'], unique=False)
    with op.batch_alter_table('tour', schema=None) as batch_op:
        batch_op.create_index('ix_tour_held', ['prospect_id', 'property_id', 'status', 'starts_at'], unique=False)
        batch_op.create_index('ix_tour_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_tour_starts_at', ['starts_at'], unique=False)
    op.execute(
        "INSERT INTO stage_change (prospect_id, from_stage, to_stage, at, actor) "
        "SELECT id, 'prospect', stage, COALESCE(stage_changed_at, created_at), 'backfill' "
        "FROM prospect WHERE stage <> 'prospect'"
    )



def downgrade():
    with op.batch_alter_table('tour', schema=None) as batch_op:
        batch_op.drop_index('ix_tour_starts_at')
        batch_op.drop_index('ix_tour_created_at')
        batch_op.drop_index('ix_tour_held')
    with op.batch_alter_table('stage_change', schema=None) as batch_op:
        batch_op.drop_index('ix_stage_change_prospect')

    op.drop_table('stage_change')
