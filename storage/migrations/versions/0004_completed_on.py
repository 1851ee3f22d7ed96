"""completed_on: the office's local day a task was recorded done (for fast reports)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from collections.abc import Sequence
from datetime import UTC
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OFFICE_TZ = ZoneInfo("Asia/Ho_Chi_Minh")  # the default setting; the 2024 plan's office


def upgrade() -> None:
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("completed_on", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_assignment_completed_on"), ["completed_on"],
                              unique=False)
    connection = op.get_bind()
    table = sa.table("assignment", sa.column("id", sa.Integer),
                     sa.column("completed_at", sa.DateTime(timezone=True)),
                     sa.column("completed_on", sa.Date))
    rows = connection.execute(sa.select(table.c.id, table.c.completed_at)
                              .where(table.c.completed_at.is_not(None))).fetchall()
    for row_id, completed_at in rows:
        if completed_at.tzinfo is None:
            completed_at = completed_at.replace(tzinfo=UTC)
        connection.execute(table.update().where(table.c.id == row_id)
                           .values(completed_on=completed_at.astimezone(OFFICE_TZ).date()))


def downgrade() -> None:
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_completed_on"))
        batch_op.drop_column("completed_on")
