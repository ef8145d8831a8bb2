"""Any city: how a region writes addresses, its street-network outline, how buildings meet the networks.

Revision ID: 9a4c2e7f1b38
Revises: 5c1e0d9a7b21
Create Date: 2026-12-01 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '9a4c2e7f1b38'
down_revision = '5c1e0d9a7b21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('geo_region', schema=None) as batch_op:
        batch_op.add_column(sa.Column('country', sa.String(length=2), nullable=False, server_default=''))
        batch_op.add_column(
            sa.Column('address_order', sa.String(length=12), nullable=False, server_default='')
        )
        batch_op.add_column(sa.Column('city', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('coverage', sa.JSON(), nullable=True))
    with op.batch_alter_table('geo_region', schema=None) as batch_op:
        batch_op.alter_column('country', server_default=None)
        batch_op.alter_column('address_order', server_default=None)
        batch_op.alter_column('city', server_default=None)
    op.create_table(
        'building_access',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('region_id', sa.Integer(), nullable=False),
        sa.Column('lat', sa.Double(), nullable=False),
        sa.Column('lon', sa.Double(), nullable=False),
        sa.Column('snaps', sa.JSON(), nullable=False),
        sa.Column('walks', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['region_id'], ['geo_region.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('region_id', 'lat', 'lon', name='uq_building_access_point'),
    )


def downgrade():
    op.drop_table('building_access')
    with op.batch_alter_table('geo_region', schema=None) as batch_op:
        batch_op.drop_column('coverage')
        batch_op.drop_column('city')
        batch_op.drop_column('address_order')
        batch_op.drop_column('country')
