"""inbox (state, due_at) indexed: a claim reads the few rows waiting, not every update the
channel ever received (SQLite chose the (channel, update_id) index and scanned them all)

Revision ID: 0012_inbox_claim_index
Revises: 0011_assignment_state_index
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012_inbox_claim_index"
down_revision: str | None = "0011_assignment_state_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_inbox_state_due", "inbox", ["state", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_inbox_state_due", table_name="inbox")
