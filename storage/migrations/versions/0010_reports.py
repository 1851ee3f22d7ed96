"""periodclosure: staff closed a report period (its report is no longer owed)

Revision ID: 0010_reports
Revises: 0009_pending_import
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010_reports"
down_revision: str | None = "0009_pending_import"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "periodclosure",
        sa.Column("period_id", sa.Integer(), sa.ForeignKey("reportperiod.id"),
                  primary_key=True),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("contact_id", sa.Integer(), sa.ForeignKey("contact.id"), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("periodclosure")
