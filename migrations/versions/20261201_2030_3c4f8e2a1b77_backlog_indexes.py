"""Indexes for the staff pages' follow-up backlog warning.

The warning counted handed-over messages from the message side, and those stay
"sending" until the outbox sync marks them sent: hundreds of rows read on every
staff page. It now starts from the outbox rows that waited too long (few, none
while mail flows) and finds their message by its outbox id.

Revision ID: 3c4f8e2a1b77
Revises: 5d1e0c7a9b42
Create Date: 2026-12-01 20:30:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "3c4f8e2a1b77"
down_revision = "5d1e0c7a9b42"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_email") as batch_op:
        batch_op.create_index("ix_outbox_email_waiting", ["status", "created_at"], unique=False)
    with op.batch_alter_table("followup_message") as batch_op:
        batch_op.create_index("ix_followup_message_outbox", ["outbox_email_id"], unique=False)


def downgrade():
    with op.batch_alter_table("followup_message") as batch_op:
        batch_op.drop_index("ix_followup_message_outbox")
    with op.batch_alter_table("outbox_email") as batch_op:
        batch_op.drop_index("ix_outbox_email_waiting")
