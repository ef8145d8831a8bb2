"""The catalogue version: one counter row that catalogue changes raise.

Listing pages keep what they derive from catalogue rows per process and compare
this counter on every request; the row exists from the start (version 0).

Revision ID: 5d1e0c7a9b42
Revises: e5b1a7c3d902
Create Date: 2026-12-01 15:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5d1e0c7a9b42"
down_revision = "e5b1a7c3d902"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "catalogue_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), server_default="0", nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_catalogue_version_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_version")),
    )
    op.bulk_insert(table, [{"id": 1, "version": 0}])


def downgrade():
    op.drop_table("catalogue_version")
