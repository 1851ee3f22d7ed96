"""pending question: a reply asked back with one tap, answered after a restart too

Revision ID: 0006_pending_question
Revises: 0005_drop_dead_columns
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006_pending_question"
down_revision: str | None = "0005_drop_dead_columns"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pendingquestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("chat_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("codes", sa.JSON(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("on_behalf", sa.Boolean(), nullable=False),
        sa.Column("raw_text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pendingquestion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pendingquestion_channel"), ["channel"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_pendingquestion_chat_id"), ["chat_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pendingquestion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pendingquestion_chat_id"))
        batch_op.drop_index(batch_op.f("ix_pendingquestion_channel"))
    op.drop_table("pendingquestion")
