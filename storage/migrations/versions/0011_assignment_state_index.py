"""assignment.state indexed: the blocked list of a city's report reads the few blocked
rows, not all 250,000

Revision ID: 0011_assignment_state_index
Revises: 0010_reports
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011_assignment_state_index"
down_revision: str | None = "0010_reports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_assignment_state", "assignment", ["state"])


def downgrade() -> None:
    op.drop_index("ix_assignment_state", table_name="assignment")
