"""Prospects: magic links, versioned priorities, browsing signals, favourites,
contact preferences; lifecycle stage, first/last touch and erasure on the prospect.

Revision ID: 4747b0cd5098
Revises: e326d15bd97c
Create Date: 2026-11-23 12:14:29.438187

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4747b0cd5098'
down_revision = 'e326d15bd97c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('magic_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_magic_link')),
    sa.UniqueConstraint('nonce', name=op.f('uq_magic_link_nonce'))
    )
    with op.batch_alter_table('magic_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_magic_link_email'), ['email'], unique=False)

    op.create_table('contact_preference',
    sa.Column('prospect_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('pace', sa.String(length=12), nullable=False),
    sa.Column('quiet_from', sa.Time(), nullable=True),
    sa.Column('quiet_until', sa.Time(), nullable=True),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('paused_until', sa.Date(), nullable=True),
    sa.Column('unsubscribed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("channel IN ('email', 'sms', 'phone', 'none')", name=op.f('ck_contact_preference_channel_known')),
    sa.CheckConstraint("pace IN ('any', 'weekly', 'on_request')", name=op.f('ck_contact_preference_pace_known')),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospect.id'], name=op.f('fk_contact_preference_prospect_id_prospect'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('prospect_id', name=op.f('pk_contact_preference'))
    )
    op.create_table('priority_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prospect_id', sa.Integer(), nullable=True),
    sa.Column('visitor_id', sa.String(length=32), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('prospect', 'agent', 'inferred')", name=op.f('ck_priority_version_source_known')),
    sa.CheckConstraint('prospect_id IS NOT NULL OR visitor_id IS NOT NULL', name=op.f('ck_priority_version_has_owner')),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospect.id'], name=op.f('fk_priority_version_prospect_id_prospect'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'], name=op.f('fk_priority_version_staff_user_id_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_priority_version'))
    )
    with op.batch_alter_table('priority_version', schema=None) as batch_op:
        batch_op.create_index('ix_priority_version_owner', ['prospect_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_priority_version_visitor_id'), ['visitor_id'], unique=False)

    op.create_table('browsing_signal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prospect_id', sa.Integer(), nullable=True),
    sa.Column('visitor_id', sa.String(length=32), nullable=True),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('topic', sa.String(length=40), nullable=True),
    sa.Column('dwell_seconds', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('listing_view', 'photo_opened', 'window_view_opened', 'virtual_tour_opened', 'category_expanded', 'commute_checked', 'favourite_added', 'compare_used', 'tour_booked')", name=op.f('ck_browsing_signal_kind_known')),
    sa.CheckConstraint('prospect_id IS NOT NULL OR visitor_id IS NOT NULL', name=op.f('ck_browsing_signal_has_owner')),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospect.id'], name=op.f('fk_browsing_signal_prospect_id_prospect'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_browsing_signal_unit_id_unit'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_browsing_signal'))
    )
    with op.batch_alter_table('browsing_signal', schema=None) as batch_op:
        batch_op.create_index('ix_browsing_signal_prospect', ['prospect_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_browsing_signal_visitor_id'), ['visitor_id'], unique=False)

    op.create_table('favourite',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prospect_id', sa.Integer(), nullable=True),
    sa.Column('visitor_id', sa.String(length=32), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('prospect_id IS NOT NULL OR visitor_id IS NOT NULL', name=op.f('ck_favourite_has_owner')),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospect.id'], name=op.f('fk_favourite_prospect_id_prospect'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_favourite_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_favourite')),
    sa.UniqueConstraint('prospect_id', 'unit_id', name='uq_favourite_prospect_unit'),
    sa.UniqueConstraint('visitor_id', 'unit_id', name='uq_favourite_visitor_unit')
    )
    with op.batch_alter_table('prospect', schema=None) as batch_op:
        # Existing prospects have contact details: they start at "prospect".
        batch_op.add_column(
            sa.Column('stage', sa.String(length=16), nullable=False, server_default='prospect')
        )
        batch_op.add_column(sa.Column('stage_changed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('lost_reason', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('first_touch', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('last_touch', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column('email',
               existing_type=sa.VARCHAR(length=254),
               nullable=True)
        batch_op.create_check_constraint(
            'stage_known',
            "stage IN ('visitor', 'prospect', 'lead', 'toured', 'applied', 'leased', 'lost')",
        )
    with op.batch_alter_table('prospect', schema=None) as batch_op:
        batch_op.alter_column('stage', existing_type=sa.String(length=16), server_default=None)


def downgrade():
    # Erased prospects have no email; the old schema needs one.
    op.execute("UPDATE prospect SET email = 'erased-' || id || '@invalid' WHERE email IS NULL")
    with op.batch_alter_table('prospect', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_prospect_stage_known'), type_='check')
        batch_op.alter_column('email',
               existing_type=sa.VARCHAR(length=254),
               nullable=False)
        batch_op.drop_column('erased_at')
        batch_op.drop_column('last_seen_at')
        batch_op.drop_column('last_touch')
        batch_op.drop_column('first_touch')
        batch_op.drop_column('lost_reason')
        batch_op.drop_column('stage_changed_at')
        batch_op.drop_column('stage')

    op.drop_table('favourite')
    with op.batch_alter_table('browsing_signal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_browsing_signal_visitor_id'))
        batch_op.drop_index('ix_browsing_signal_prospect')

    op.drop_table('browsing_signal')
    with op.batch_alter_table('priority_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_priority_version_visitor_id'))
        batch_op.drop_index('ix_priority_version_owner')

    op.drop_table('priority_version')
    op.drop_table('contact_preference')
    with op.batch_alter_table('magic_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_magic_link_email'))

    op.drop_table('magic_link')
