"""assignment (unit_id, task_id, state, completed_on, updated_at) indexed: the per-school
scan of a city's report reads this index in school order, and nothing else. It replaces
the index on unit_id alone, its first column.

Revision ID: 0013_assignment_progress_index
Revises: 0012_inbox_claim_index
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013_assignment_progress_index"
down_revision: str | None = "0012_inbox_claim_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["unit_id", "task_id", "state", "completed_on", "updated_at"]


def upgrade() -> None:
    op.create_index("ix_assignment_progress", "assignment", COLUMNS)
    op.drop_index("ix_assignment_unit_id", table_name="assignment")


def downgrade() -> None:
    op.create_index("ix_assignment_unit_id", "assignment", ["unit_id"])
    op.drop_index("ix_assignment_progress", table_name="assignment")
