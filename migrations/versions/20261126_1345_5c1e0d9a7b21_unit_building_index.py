"""Listings per building: an index for commute search's per-building counts and batches.

Revision ID: 5c1e0d9a7b21
Revises: 2ff8f6596c51
Create Date: 2026-11-26 13:45:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5c1e0d9a7b21'
down_revision = '2ff8f6596c51'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.create_index(
            'ix_unit_building_search',
            ['property_id', 'status', 'rent_eur', 'bedrooms'],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_index('ix_unit_building_search')
