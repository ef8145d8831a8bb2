"""Staff prospect search: a trigram index over name, email and phone.

PostgreSQL: ``pg_trgm`` (created here if this role may) and a GIN index; without the
extension nothing is created and the search reads the table, as before (README
"Production"). SQLite: an FTS5 trigram table over ``prospect`` with its triggers,
filled from the stored prospects. The DDL lives in ``portal.models.prospect_search``
so that ``create_all`` and this migration make the same objects.

Revision ID: e5b1a7c3d902
Revises: 8a83b13cd920
Create Date: 2026-12-01 15:30:00

"""

from alembic import op

from portal.models.prospect_search import create_search_index, drop_search_index

# revision identifiers, used by Alembic.
revision = "e5b1a7c3d902"
down_revision = "8a83b13cd920"
branch_labels = None
depends_on = None


def upgrade():
    create_search_index(op.get_bind())


def downgrade():
    # The extension stays: other objects may use it, and dropping it needs the same rights.
    drop_search_index(op.get_bind())
