"""a plan file previewed in the chat, waiting for "Nhập" or "Huỷ"

Revision ID: 0009_pending_import
Revises: 0008_inbox
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009_pending_import"
down_revision: str | None = "0008_inbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pendingimport",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("chat_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("path", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pendingimport", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pendingimport_channel"), ["channel"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_pendingimport_chat_id"), ["chat_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pendingimport", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pendingimport_chat_id"))
        batch_op.drop_index(batch_op.f("ix_pendingimport_channel"))
    op.drop_table("pendingimport")
