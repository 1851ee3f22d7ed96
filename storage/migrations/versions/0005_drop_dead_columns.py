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


def upgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_column("snoozed_until")
        batch_op.drop_column("paused_until")


def downgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paused_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("snoozed_until", sa.DateTime(timezone=True),
                                      nullable=True))
