"""Funnel insights: indexes on tours and stage changes, and dated stages for existing prospects.

The stage history itself is ``prospect_stage_change`` (staff_prospects). Existing
prospects past "prospect" with no recorded move get one backfilled row at their last
stage change (actor "backfill"), so the funnel can date their current stage.

Revision ID: 69a880bc067b
Revises: c44b4c77cd0a
Create Date: 2026-12-01 11:58:14.162883

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "69a880bc067b"
down_revision = "c44b4c77cd0a"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("prospect_stage_change", schema=None) as batch_op:
        batch_op.create_index(
            "ix_prospect_stage_change_reached",
            ["prospect_id", "to_stage", "changed_at"],
            unique=False,
        )
    with op.batch_alter_table("tour", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tour_held", ["prospect_id", "property_id", "status", "starts_at"], unique=False
        )
        batch_op.create_index("ix_tour_created_at", ["created_at"], unique=False)
        batch_op.create_index("ix_tour_starts_at", ["starts_at"], unique=False)
    op.execute(
        "INSERT INTO prospect_stage_change (prospect_id, from_stage, to_stage, changed_at, actor) "
        "SELECT id, 'prospect', stage, COALESCE(stage_changed_at, created_at), 'backfill' "
        "FROM prospect WHERE stage <> 'prospect' AND NOT EXISTS "
        "(SELECT 1 FROM prospect_stage_change c WHERE c.prospect_id = prospect.id)"
    )


def downgrade():
    op.execute("DELETE FROM prospect_stage_change WHERE actor = 'backfill'")
    with op.batch_alter_table("tour", schema=None) as batch_op:
        batch_op.drop_index("ix_tour_starts_at")
        batch_op.drop_index("ix_tour_created_at")
        batch_op.drop_index("ix_tour_held")
    with op.batch_alter_table("prospect_stage_change", schema=None) as batch_op:
        batch_op.drop_index("ix_prospect_stage_change_reached")
