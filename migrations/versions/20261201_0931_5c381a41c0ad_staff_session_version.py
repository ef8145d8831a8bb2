"""Staff session version: signing out or a new password ends every copy of a session.

Revision ID: 5c381a41c0ad
Revises: d95d36868716
Create Date: 2026-12-01 09:31:38.384911

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c381a41c0ad'
down_revision = 'd95d36868716'
branch_labels = None
depends_on = None


def upgrade():
    # Existing accounts start at version 1; the server default only fills them in.
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_version', sa.Integer(), nullable=False, server_default='1')
        )
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.alter_column('session_version', server_default=None)


def downgrade():
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('session_version')
