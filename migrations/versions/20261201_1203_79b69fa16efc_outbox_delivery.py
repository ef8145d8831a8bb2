"""Outbox delivery: a stored Message-ID, a sender's lease, the do-not-contact list, and
an opaque key for each prospect's one-click unsubscribe link.

Rows queued before this migration get a Message-ID made from their id and the domain
of ``MAIL_FROM`` (``MAIL_MESSAGE_ID_DOMAIN`` when set), so they too keep one across
retries. "suppressed" joins the statuses: a message never sent because its address is
on the do-not-contact list. Every prospect gets a random unsubscribe key (links mailed
before it, with the signed id, keep working).

Revision ID: 79b69fa16efc
Revises: b81c2f8faa84
Create Date: 2026-12-01 11:58:05.126039

"""
import secrets
from email.utils import parseaddr

from alembic import op
import sqlalchemy as sa
from flask import current_app


# revision identifiers, used by Alembic.
revision = '79b69fa16efc'
down_revision = 'b81c2f8faa84'
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('queued', 'sending', 'sent', 'failed')"
NEW_STATUSES = "status IN ('queued', 'sending', 'sent', 'failed', 'suppressed')"


def _message_id_domain() -> str:
    configured = current_app.config.get("MAIL_MESSAGE_ID_DOMAIN")
    sender = parseaddr(current_app.config.get("MAIL_FROM") or "")[1]
    return configured or sender.rpartition("@")[2] or "doorstep.invalid"


def upgrade():
    op.create_table('mail_suppression',
    sa.Column('address', sa.String(length=254), nullable=False),
    sa.Column('reason', sa.String(length=12), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('outbox_email_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("reason IN ('rejected', 'bounced', 'complaint')", name=op.f('ck_mail_suppression_reason_known')),
    sa.ForeignKeyConstraint(['outbox_email_id'], ['outbox_email.id'], name=op.f('fk_mail_suppression_outbox_email_id_outbox_email'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('address', name=op.f('pk_mail_suppression'))
    )
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.String(length=250), nullable=True))
        # Nothing queued mail the recipient did not ask for before follow-ups.
        batch_op.add_column(sa.Column('transactional', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('lease_expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(op.f('ck_outbox_email_status_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_outbox_email_status_known'), sa.text(NEW_STATUSES))
    outbox = sa.table(
        'outbox_email', sa.column('id', sa.Integer), sa.column('message_id', sa.String)
    )
    op.execute(
        outbox.update().values(
            message_id=sa.literal('<outbox-') + sa.cast(outbox.c.id, sa.String)
            + sa.literal(f'@{_message_id_domain()}>')
        )
    )
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.alter_column('message_id', existing_type=sa.String(length=250), nullable=False)
        batch_op.alter_column('transactional', existing_type=sa.Boolean(), server_default=None)
        batch_op.create_unique_constraint(batch_op.f('uq_outbox_email_message_id'), ['message_id'])

    with op.batch_alter_table('prospect', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unsubscribe_key', sa.String(length=43), nullable=True))
    connection = op.get_bind()
    prospect = sa.table('prospect', sa.column('id', sa.Integer), sa.column('unsubscribe_key', sa.String))
    for (prospect_id,) in connection.execute(sa.select(prospect.c.id)).all():
        connection.execute(
            prospect.update().where(prospect.c.id == prospect_id)
            .values(unsubscribe_key=secrets.token_urlsafe(24))
        )
    with op.batch_alter_table('prospect', schema=None) as batch_op:
        batch_op.alter_column('unsubscribe_key', existing_type=sa.String(length=43), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_prospect_unsubscribe_key'), ['unsubscribe_key'])


def downgrade():
    with op.batch_alter_table('prospect', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_prospect_unsubscribe_key'), type_='unique')
        batch_op.drop_column('unsubscribe_key')

    op.execute("UPDATE outbox_email SET status = 'failed' WHERE status = 'suppressed'")
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_outbox_email_message_id'), type_='unique')
        batch_op.drop_constraint(op.f('ck_outbox_email_status_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_outbox_email_status_known'), sa.text(OLD_STATUSES))
        batch_op.drop_column('lease_expires_at')
        batch_op.drop_column('claimed_by')
        batch_op.drop_column('transactional')
        batch_op.drop_column('message_id')

    op.drop_table('mail_suppression')
