"""The plan: the active one, its areas and its tasks."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import Area, Plan, Task


def active_plan(session: Session) -> Plan | None:
    return session.exec(select(Plan).where(Plan.active == True)  # noqa: E712
                        .order_by(col(Plan.id).desc())).first()


def areas_of(session: Session, *, plan_id: int) -> list[Area]:
    return list(session.exec(select(Area).where(Area.plan_id == plan_id)
                             .order_by(col(Area.number))))


def tasks_of(session: Session, *, plan_id: int) -> list[Task]:
    return list(session.exec(select(Task).where(Task.plan_id == plan_id)
                             .order_by(col(Task.position))))
