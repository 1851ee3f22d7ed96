"""The web view's matrix read by the database: a page of units with their row totals,
the column totals of every task over all matching units, and the cells of one page only —
so a city of 10,000 schools is served a page at a time, never 250,000 cells.

The verdict conditions are those of `storage.aggregates` (done = state done and completed
by the as-of day; on time = completed by the due day; overdue = not done, due before the
as-of day; otherwise pending)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, and_, case, func, not_, or_
from sqlalchemy import select as columns  # any number of columns, plain rows
from sqlmodel import Session, col, select

from storage.models import Area, Assignment, State, Task, Unit, UnitKind, Verdict


@dataclass(frozen=True)
class MatrixScope:
    plan_id: int
    as_of: date
    area_number: int | None = None
    kind: UnitKind | None = None
    ward: str | None = None
    covers_to: date | None = None  # a report period: tasks due or started by then
    verdict: Verdict | None = None  # only units with at least one such cell
    unit_id: int | None = None


class UnitLine(NamedTuple):
    id: int
    code: str
    name: str
    kind: UnitKind
    ward: str
    total: int
    done: int
    overdue: int


class TaskTotal(NamedTuple):
    task_id: int
    total: int
    done: int
    overdue: int


class CellRow(NamedTuple):
    unit_id: int
    task_id: int
    state: State
    percent: int
    note: str
    completed_on: date | None
    updated_at: datetime | None


def _done(as_of: date) -> Any:
    return and_(col(Assignment.state) == State.DONE, col(Assignment.completed_on) <= as_of)


def _conditions(as_of: date) -> dict[Verdict, Any]:
    done = _done(as_of)
    return {
        Verdict.DONE_ON_TIME: and_(done, col(Assignment.completed_on) <= Task.due_on),
        Verdict.DONE_LATE: and_(done, col(Assignment.completed_on) > Task.due_on),
        Verdict.OVERDUE: and_(not_(done), col(Task.due_on) < as_of),
        Verdict.PENDING: and_(not_(done), col(Task.due_on) >= as_of),
    }


def _n(cond: Any) -> Any:
    return func.sum(case((cond, 1), else_=0))


def _scoped(query: Any, scope: MatrixScope, units: bool = True) -> Any:
    """*query* over the scope's assignments; units are joined only when a filter needs
    them (else inactive units are left out by the caller)."""
    query = (query.select_from(Assignment).join(Task, col(Assignment.task_id) == Task.id)
             .where(Task.plan_id == scope.plan_id))
    if units:
        query = query.join(Unit, col(Assignment.unit_id) == Unit.id).where(
            col(Unit.active) == True)  # noqa: E712
        if scope.kind is not None:
            query = query.where(Unit.kind == scope.kind)
        if scope.ward:
            query = query.where(Unit.ward == scope.ward)
    if scope.area_number is not None:
        query = query.join(Area, col(Task.area_id) == Area.id).where(
            col(Area.number) == scope.area_number)
    if scope.unit_id is not None:
        query = query.where(Assignment.unit_id == scope.unit_id)
    if scope.covers_to is not None:
        query = query.where(or_(col(Task.due_on) <= scope.covers_to, col(Task.due_start).is_(None),
                                col(Task.due_start) <= scope.covers_to))
    return query


def _units_query(scope: MatrixScope) -> Any:
    """Per unit id: assignments, done, overdue — one scan, grouped by an integer."""
    cond = _conditions(scope.as_of)
    done = _done(scope.as_of)
    query = _scoped(select(Assignment.unit_id, func.count(), _n(done),
                           _n(cond[Verdict.OVERDUE])), scope,
                    units=scope.kind is not None or bool(scope.ward))
    query = query.group_by(col(Assignment.unit_id))
    if scope.verdict is not None:
        query = query.having(_n(cond[scope.verdict]) > 0)
    return query


def _matching(session: Session, scope: MatrixScope) -> list[UnitLine]:
    """Every matching unit with its totals, the office first and then by code."""
    counts = {int(r[0]): r for r in session.connection().execute(_units_query(scope))}
    active = session.connection().execute(
        columns(col(Unit.id), col(Unit.code), col(Unit.name), col(Unit.kind), col(Unit.ward))
        .where(col(Unit.active).is_(True))).fetchall()
    lines = [UnitLine(int(u[0] or 0), u[1], u[2], UnitKind(u[3]), u[4] or "", int(c[1]),
                      int(c[2] or 0), int(c[3] or 0))
             for u in active if (c := counts.get(int(u[0] or 0))) is not None]
    lines.sort(key=lambda u: (u.kind != UnitKind.OFFICE, u.code))
    return lines


def unit_page(session: Session, scope: MatrixScope, *, offset: int, limit: int
              ) -> tuple[int, list[UnitLine], dict[int, TaskTotal]]:
    """(how many units match, one page of them with their totals, the totals per task over
    all of them) — both scans in the caller's transaction, so the row and column totals of
    one page always agree (the rule /baocao follows)."""
    lines = _matching(session, scope)
    per_task = task_totals(session.connection(), scope)
    return len(lines), lines[offset:offset + limit], per_task


def task_totals(connection: Connection, scope: MatrixScope) -> dict[int, TaskTotal]:
    """Per task, over every matching unit (not only the page shown)."""
    cond = _conditions(scope.as_of)
    done = _done(scope.as_of)
    units = scope.kind is not None or bool(scope.ward)
    query = _scoped(select(Task.id, func.count(), _n(done), _n(cond[Verdict.OVERDUE])),
                    scope, units=units)
    if not units:  # the few inactive units left out by id, without joining every unit
        inactive = select(Unit.id).where(Unit.active == False)  # noqa: E712
        query = query.where(col(Assignment.unit_id).not_in(inactive))
    if scope.verdict is not None:
        query = query.where(col(Assignment.unit_id).in_(
            _units_query(scope).with_only_columns(Assignment.unit_id)))
    rows = connection.execute(query.group_by(col(Task.id))).fetchall()
    return {int(r[0]): TaskTotal(int(r[0]), int(r[1]), int(r[2] or 0), int(r[3] or 0))
            for r in rows}


def cells(session: Session, unit_ids: list[int], task_ids: list[int]) -> list[CellRow]:
    """The records of the given units (one page) for the given tasks (those in scope):
    read through the unit index, without scanning the plan."""
    if not unit_ids or not task_ids:
        return []
    query = (columns(col(Assignment.unit_id), col(Assignment.task_id), col(Assignment.state),
                     col(Assignment.percent), col(Assignment.note),
                     col(Assignment.completed_on), col(Assignment.updated_at))
             .where(col(Assignment.unit_id).in_(unit_ids), col(Assignment.task_id).in_(task_ids)))
    return [CellRow(*r) for r in session.connection().execute(query).fetchall()]


def wards(session: Session) -> list[str]:
    return [w for w in session.exec(select(Unit.ward).where(Unit.active == True)  # noqa: E712
                                    .distinct().order_by(col(Unit.ward))) if w]
