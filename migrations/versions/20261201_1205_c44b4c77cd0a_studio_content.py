"""Studio content: published revisions, shared drafts, uploaded images; sanitised HTML columns.

Existing window views get the orientation of their unit (the studio requires one), and
existing texts stay as they are: the public page shows them as plain text until the
first publish renders them.

Revision ID: c44b4c77cd0a
Revises: ca9d70b795a9
Create Date: 2026-12-01 11:59:03.736930

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c44b4c77cd0a'
down_revision = 'ca9d70b795a9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('media_asset',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('widths', sa.JSON(), nullable=False),
    sa.Column('byte_size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("format IN ('jpeg', 'png', 'webp')", name=op.f('ck_media_asset_format_known')),
    sa.CheckConstraint('width > 0 AND height > 0', name=op.f('ck_media_asset_size_positive')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['staff_user.id'], name=op.f('fk_media_asset_uploaded_by_id_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_asset')),
    sa.UniqueConstraint('key', name=op.f('uq_media_asset_key'))
    )
    op.create_table('content_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=24), nullable=False),
    sa.Column('subject_kind', sa.String(length=8), nullable=False),
    sa.Column('property_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('published_by_name', sa.String(length=120), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('restored_from_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("subject_kind IN ('property', 'unit')", name=op.f('ck_content_revision_subject_kind_known')),
    sa.CheckConstraint('number >= 1', name=op.f('ck_content_revision_number_positive')),
    sa.ForeignKeyConstraint(['property_id'], ['property.id'], name=op.f('fk_content_revision_property_id_property'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['staff_user.id'], name=op.f('fk_content_revision_published_by_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['restored_from_id'], ['content_revision.id'], name=op.f('fk_content_revision_restored_from_id_content_revision'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_content_revision_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_revision')),
    sa.UniqueConstraint('subject', 'number', name=op.f('uq_content_revision_subject'))
    )
    with op.batch_alter_table('content_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_content_revision_subject'), ['subject'], unique=False)

    op.create_table('content_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=24), nullable=False),
    sa.Column('subject_kind', sa.String(length=8), nullable=False),
    sa.Column('property_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('base_revision_id', sa.Integer(), nullable=True),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_name', sa.String(length=120), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("subject_kind IN ('property', 'unit')", name=op.f('ck_content_draft_subject_kind_known')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_content_draft_version_positive')),
    sa.ForeignKeyConstraint(['base_revision_id'], ['content_revision.id'], name=op.f('fk_content_draft_base_revision_id_content_revision'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['property_id'], ['property.id'], name=op.f('fk_content_draft_property_id_property'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_content_draft_unit_id_unit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['staff_user.id'], name=op.f('fk_content_draft_updated_by_id_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_draft')),
    sa.UniqueConstraint('subject', name=op.f('uq_content_draft_subject'))
    )
    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.add_column(sa.Column('asset_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('orientation', sa.String(length=2), nullable=True))
        batch_op.add_column(
            sa.Column('hotspots', sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.create_foreign_key(batch_op.f('fk_media_asset_id_media_asset'), 'media_asset', ['asset_id'], ['id'], ondelete='RESTRICT')

    with op.batch_alter_table('property', schema=None) as batch_op:
        batch_op.add_column(sa.Column('highlights', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('neighbourhood_blurb', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('description_html', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('highlights_html', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('neighbourhood_html', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('description_html', sa.Text(), nullable=False, server_default='')
        )

    op.execute(
        "UPDATE media SET orientation = "
        "(SELECT unit.orientation FROM unit WHERE unit.id = media.unit_id) "
        "WHERE kind = 'window_view' AND unit_id IS NOT NULL"
    )
    op.execute("UPDATE media SET orientation = 'S' WHERE kind = 'window_view' AND orientation IS NULL")
    # SQLite keeps CHECK constraints only in the table's SQL: rebuild it to change one.
    recreate = 'always' if op.get_context().dialect.name == 'sqlite' else 'auto'
    with op.batch_alter_table('media', schema=None, recreate=recreate) as batch_op:
        batch_op.alter_column('hotspots', server_default=None)
        batch_op.drop_constraint(op.f('ck_media_window_view_located'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_media_window_view_located'),
            "kind != 'window_view' OR "
            "(room IS NOT NULL AND floor IS NOT NULL AND orientation IS NOT NULL)",
        )
    with op.batch_alter_table('property', schema=None) as batch_op:
        for column in ('highlights', 'neighbourhood_blurb', 'description_html',
                       'highlights_html', 'neighbourhood_html'):
            batch_op.alter_column(column, server_default=None)
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.alter_column('description_html', server_default=None)


def downgrade():
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_column('description_html')

    with op.batch_alter_table('property', schema=None) as batch_op:
        batch_op.drop_column('neighbourhood_html')
        batch_op.drop_column('highlights_html')
        batch_op.drop_column('description_html')
        batch_op.drop_column('neighbourhood_blurb')
        batch_op.drop_column('highlights')

    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_media_window_view_located'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_media_window_view_located'),
            "kind != 'window_view' OR (room IS NOT NULL AND floor IS NOT NULL)",
        )
        batch_op.drop_constraint(batch_op.f('fk_media_asset_id_media_asset'), type_='foreignkey')
        batch_op.drop_column('hotspots')
        batch_op.drop_column('orientation')
        batch_op.drop_column('asset_id')

    op.drop_table('content_draft')
    with op.batch_alter_table('content_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_content_revision_subject'))

    op.drop_table('content_revision')
    op.drop_table('media_asset')
