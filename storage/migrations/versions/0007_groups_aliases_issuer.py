"""unit groups and aliases, kept phrase mappings, partners, on-request deadlines, THPT
schools, and the issuer's short name

Revision ID: 0007_groups_aliases_issuer
Revises: 0006_pending_question
Create Date: 2026-11-29
"""

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007_groups_aliases_issuer"
down_revision: str | None = "0006_pending_question"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _legacy_targets(units_text: str) -> list[str]:
    """What the former reader made of "Đơn vị thực hiện" (office, MN, TH, THCS; TH or
    THCS also meaning the multi-level schools), as the new targets."""
    words = re.sub(r"[^a-z0-9&]+", " ", _fold(units_text))
    tokens = set(words.split())
    targets = []
    if tokens & {"phong", "pgd", "pgddt"}:
        targets.append("@office")
    if "mn" in tokens or "mam non" in words:
        targets.append("@MN")
    if "th" in tokens or "tieu hoc" in words:
        targets.append("@TH")
    if "thcs" in tokens or "trung hoc co so" in words:
        targets.append("@THCS")
    if "pt" in tokens or "nhieu cap" in words:
        targets.append("@PT")
    if len(targets) == int("@office" in targets) and re.search(r"\b(cac|tat ca cac) truong\b",
                                                               words):
        targets += ["@MN", "@TH", "@THCS", "@PT"]
    return targets


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        # Allowed inside the migration's transaction (PostgreSQL 12+): the new values are
        # not used before it commits.
        op.execute("ALTER TYPE unitkind ADD VALUE IF NOT EXISTS 'THPT'")
        op.execute("ALTER TYPE duekind ADD VALUE IF NOT EXISTS 'ON_REQUEST'")
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("groups", sa.JSON(), nullable=False,
                                      server_default="[]"))
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("issuer_short", sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=False, server_default=""))
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partners_text", sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=False, server_default=""))
        batch_op.add_column(sa.Column("lead", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("partners", sa.JSON(), nullable=False,
                                      server_default="[]"))
    op.create_table(
        "unitalias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("phrase", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_table(
        "partner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("task_id", "unit_id"),
    )
    with op.batch_alter_table("partner", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partner_task_id"), ["task_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_partner_unit_id"), ["unit_id"], unique=False)

    task = sa.table("task", sa.column("id", sa.Integer), sa.column("units_text", sa.String),
                    sa.column("lead", sa.JSON))
    for task_id, units_text in bind.execute(sa.select(task.c.id, task.c.units_text)).fetchall():
        bind.execute(task.update().where(task.c.id == task_id)
                     .values(lead=_legacy_targets(units_text or "")))
    plan = sa.table("plan", sa.column("id", sa.Integer), sa.column("issuer", sa.String),
                    sa.column("issuer_short", sa.String))
    for plan_id, issuer in bind.execute(sa.select(plan.c.id, plan.c.issuer)).fetchall():
        short = re.sub(r"(?i)giáo dục và đào tạo.*$", "GD&ĐT", issuer or "").strip()
        bind.execute(plan.update().where(plan.c.id == plan_id).values(issuer_short=short))


def downgrade() -> None:
    op.drop_table("partner")
    op.drop_table("unitalias")
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_column("partners")
        batch_op.drop_column("lead")
        batch_op.drop_column("partners_text")
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_column("issuer_short")
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.drop_column("groups")
