"""contact.paused_until and contact.snoozed_until: never read (pauses and snoozes are the
pause table and outbox rows)

Revision ID: 0005_drop_dead_columns
Revises: 0004
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_drop_dead_columns"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE (SQLite 3.35+ drops a column in place): a batch copy of the table would
# drop "contact", which identities, records and history refer to.
def upgrade() -> None:
    op.drop_column("contact", "snoozed_until")
    op.drop_column("contact", "paused_until")


def downgrade() -> None:
    op.add_column("contact", sa.Column("paused_until", sa.Date(), nullable=True))
    op.add_column("contact", sa.Column("snoozed_until", sa.DateTime(timezone=True),
                                       nullable=True))
