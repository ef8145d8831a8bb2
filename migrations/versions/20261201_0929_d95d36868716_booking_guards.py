"""Booking guards: scoped idempotency keys, case-insensitive emails, unverified instant tours.

* ``tour_request_key``: idempotency keys per scope with the request's hash and an expiry.
  Keys on existing tours are not carried over (their requests' hashes are unknown, and
  they would have expired within a day); ``tour.idempotency_key`` stays as a record
  but is no longer unique, so an expired key may book anew.
* ``tour.email_normalised`` and ``outbox_email.to_normalised``: the address lower-cased
  and trimmed, indexed, next to the address as typed.
* ``tour.email_confirmed_at``: existing tours count as confirmed when they were booked
  (the rules then folded their answers into the prospect at once).
* ``property.unverified_instant``: ``capped`` (instant up to the caps) for every
  existing property, which keeps today's instant bookings instant.

Revision ID: d95d36868716
Revises: 9a4c2e7f1b38
Create Date: 2026-12-01 09:29:05.527298

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd95d36868716'
down_revision = '9a4c2e7f1b38'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tour_request_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=80), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('tour_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tour_id'], ['tour.id'], name=op.f('fk_tour_request_key_tour_id_tour'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tour_request_key')),
    sa.UniqueConstraint('scope', 'key', name=op.f('uq_tour_request_key_scope'))
    )
    with op.batch_alter_table('tour_request_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tour_request_key_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_tour_request_key_tour_id'), ['tour_id'], unique=False)

    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.add_column(sa.Column('to_normalised', sa.String(length=254), nullable=False, server_default=''))
    op.execute("UPDATE outbox_email SET to_normalised = lower(trim(to_address))")
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.alter_column('to_normalised', existing_type=sa.String(length=254), server_default=None)
        batch_op.drop_index(batch_op.f('ix_outbox_email_to_address'))
        batch_op.create_index(batch_op.f('ix_outbox_email_to_normalised'), ['to_normalised'], unique=False)

    with op.batch_alter_table('property', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unverified_instant', sa.String(length=8), nullable=False, server_default='capped'))
    with op.batch_alter_table('property', schema=None) as batch_op:
        batch_op.alter_column('unverified_instant', existing_type=sa.String(length=8), server_default=None)
        batch_op.create_check_constraint(
            'unverified_instant_known', "unverified_instant IN ('capped', 'link')"
        )

    with op.batch_alter_table('tour', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_normalised', sa.String(length=254), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('email_confirmed_at', sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE tour SET email_normalised = lower(trim(email)), email_confirmed_at = created_at"
    )
    with op.batch_alter_table('tour', schema=None) as batch_op:
        batch_op.alter_column('email_normalised', existing_type=sa.String(length=254), server_default=None)
        batch_op.drop_constraint(batch_op.f('uq_tour_idempotency_key'), type_='unique')
        batch_op.create_index(batch_op.f('ix_tour_email_normalised'), ['email_normalised'], unique=False)


def downgrade():
    # An expired key may have booked anew; the old unique key keeps only the newest tour's.
    op.execute(
        "UPDATE tour SET idempotency_key = NULL WHERE idempotency_key IS NOT NULL"
        " AND id NOT IN (SELECT max(id) FROM tour GROUP BY idempotency_key)"
    )
    with op.batch_alter_table('tour', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tour_email_normalised'))
        batch_op.create_unique_constraint(batch_op.f('uq_tour_idempotency_key'), ['idempotency_key'])
        batch_op.drop_column('email_confirmed_at')
        batch_op.drop_column('email_normalised')

    with op.batch_alter_table('property', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_property_unverified_instant_known'), type_='check')
        batch_op.drop_column('unverified_instant')

    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_email_to_normalised'))
        batch_op.create_index(batch_op.f('ix_outbox_email_to_address'), ['to_address'], unique=False)
        batch_op.drop_column('to_normalised')

    with op.batch_alter_table('tour_request_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tour_request_key_tour_id'))
        batch_op.drop_index(batch_op.f('ix_tour_request_key_expires_at'))

    op.drop_table('tour_request_key')
