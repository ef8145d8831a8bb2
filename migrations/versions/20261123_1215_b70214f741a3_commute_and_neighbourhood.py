"""Commute and neighbourhood: imported OSM regions, places, addresses, transit routes,
neighbourhood summaries and prospects' commute destinations.

Revision ID: b70214f741a3
Revises: 4747b0cd5098
Create Date: 2026-11-23 12:10:57.706464

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b70214f741a3'
down_revision = '4747b0cd5098'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('geo_region',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('source_name', sa.String(length=255), nullable=False),
    sa.Column('data_dir', sa.String(length=500), nullable=False),
    sa.Column('min_lat', sa.Double(), nullable=False),
    sa.Column('min_lon', sa.Double(), nullable=False),
    sa.Column('max_lat', sa.Double(), nullable=False),
    sa.Column('max_lon', sa.Double(), nullable=False),
    sa.Column('stats', sa.JSON(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_geo_region')),
    sa.UniqueConstraint('name', name=op.f('uq_geo_region_name'))
    )
    op.create_table('commute_destination',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prospect_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('lat', sa.Double(), nullable=False),
    sa.Column('lon', sa.Double(), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('arrive_by', sa.Time(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("mode IN ('walk', 'bike', 'drive', 'transit')", name=op.f('ck_commute_destination_mode_known')),
    sa.CheckConstraint('lat BETWEEN -90 AND 90', name=op.f('ck_commute_destination_lat_range')),
    sa.CheckConstraint('lon BETWEEN -180 AND 180', name=op.f('ck_commute_destination_lon_range')),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospect.id'], name=op.f('fk_commute_destination_prospect_id_prospect'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commute_destination'))
    )
    with op.batch_alter_table('commute_destination', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commute_destination_prospect_id'), ['prospect_id'], unique=False)

    op.create_table('geo_address',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('street_key', sa.String(length=200), nullable=False),
    sa.Column('housenumber', sa.String(length=40), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('postcode', sa.String(length=20), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('lat', sa.Double(), nullable=False),
    sa.Column('lon', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['geo_region.id'], name=op.f('fk_geo_address_region_id_geo_region'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_geo_address'))
    )
    with op.batch_alter_table('geo_address', schema=None) as batch_op:
        batch_op.create_index('ix_geo_address_region_street', ['region_id', 'street_key'], unique=False)

    op.create_table('geo_place',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('osm_type', sa.String(length=8), nullable=False),
    sa.Column('osm_id', sa.BigInteger(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('lat', sa.Double(), nullable=False),
    sa.Column('lon', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['geo_region.id'], name=op.f('fk_geo_place_region_id_geo_region'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_geo_place'))
    )
    with op.batch_alter_table('geo_place', schema=None) as batch_op:
        batch_op.create_index('ix_geo_place_region_category', ['region_id', 'category'], unique=False)

    op.create_table('neighbourhood_summary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('property_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('origin_lat', sa.Double(), nullable=False),
    sa.Column('origin_lon', sa.Double(), nullable=False),
    sa.Column('walkability', sa.Integer(), nullable=False),
    sa.Column('transit_access', sa.Integer(), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['property_id'], ['property.id'], name=op.f('fk_neighbourhood_summary_property_id_property'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_id'], ['geo_region.id'], name=op.f('fk_neighbourhood_summary_region_id_geo_region'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_neighbourhood_summary')),
    sa.UniqueConstraint('property_id', name=op.f('uq_neighbourhood_summary_property_id'))
    )
    op.create_table('transit_route',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('ref', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('stops', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['geo_region.id'], name=op.f('fk_transit_route_region_id_geo_region'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transit_route'))
    )


def downgrade():
    op.drop_table('transit_route')
    op.drop_table('neighbourhood_summary')
    with op.batch_alter_table('geo_place', schema=None) as batch_op:
        batch_op.drop_index('ix_geo_place_region_category')

    op.drop_table('geo_place')
    with op.batch_alter_table('geo_address', schema=None) as batch_op:
        batch_op.drop_index('ix_geo_address_region_street')

    op.drop_table('geo_address')
    with op.batch_alter_table('commute_destination', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commute_destination_prospect_id'))

    op.drop_table('commute_destination')
    op.drop_table('geo_region')
