"""Staff prospect search: an index of the words of name, email and phone.

A query of one or two characters matches the start of a word; this serves it.
PostgreSQL: a GIN index over a ``simple`` tsvector of the fields (built in, no
extension). SQLite: an FTS5 ``unicode61`` table with one- and two-character prefix
indexes over ``prospect`` with its triggers, filled from the stored prospects. The
DDL lives in ``portal.models.prospect_word_search`` so that ``create_all`` and this
migration make the same objects.

Revision ID: a7d3f1c9e2b4
Revises: 3c4f8e2a1b77
Create Date: 2026-12-01 21:00:00

"""

from alembic import op

from portal.models.prospect_word_search import create_word_index, drop_word_index

# revision identifiers, used by Alembic.
revision = "a7d3f1c9e2b4"
down_revision = "3c4f8e2a1b77"
branch_labels = None
depends_on = None


def upgrade():
    create_word_index(op.get_bind())


def downgrade():
    drop_word_index(op.get_bind())
