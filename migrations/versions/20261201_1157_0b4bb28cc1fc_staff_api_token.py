"""Staff API tokens: bearer tokens for the staff JSON API, stored as SHA-256 hashes.

Revision ID: 0b4bb28cc1fc
Revises: f4527f20b1e8
Create Date: 2026-12-01 11:57:08.712276

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0b4bb28cc1fc'
down_revision = 'f4527f20b1e8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('staff_api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'], name=op.f('fk_staff_api_token_staff_id_staff_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_staff_api_token_token_hash'))
    )
    with op.batch_alter_table('staff_api_token', schema=None) as batch_op:
        batch_op.create_index('ix_staff_api_token_staff', ['staff_id', 'created_at'], unique=False)



def downgrade():
    with op.batch_alter_table('staff_api_token', schema=None) as batch_op:
        batch_op.drop_index('ix_staff_api_token_staff')

    op.drop_table('staff_api_token')
