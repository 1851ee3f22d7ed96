"""Progress counted by the database: the four-way verdict as SQL, grouped by unit and
area, so a report over a city's 250,000 assignments reads tens of thousands of rows, not
hundreds of thousands of objects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, String, and_, cast, func, literal, not_, or_
from sqlmodel import Session, col, select

from storage.models import Area, Assignment, State, Task, Unit, UnitKind


@dataclass(frozen=True)
class Scope:
    """Which assignments a report covers (all filters optional)."""

    plan_id: int
    task_code: str | None = None
    area_number: int | None = None
    unit_ids: tuple[int, ...] = ()
    kind: UnitKind | None = None
    covers_to: date | None = None  # a period: tasks due or started by then

    def where(self, joined_units: bool = True, by_unit: bool = False,
              inactive: Sequence[int] = ()) -> list[Any]:
        # by_unit: "+ 0" hides task.plan_id's index from SQLite's planner, which would
        # otherwise read the plan task by task and sort every assignment by school; the
        # per-school scan then reads ix_assignment_progress in school order, and nothing else
        plan = col(Task.plan_id) + 0 if by_unit else col(Task.plan_id)
        return [plan == self.plan_id, *self.task_where(),
                *self.unit_where(joined_units, inactive)]

    def task_where(self) -> list[Any]:
        """The conditions on a task (and its area, joined only when asked for)."""
        clauses: list[Any] = []
        if self.task_code:
            clauses.append(Task.code == self.task_code)
        if self.area_number is not None:
            clauses.append(Area.number == self.area_number)
        if self.covers_to is not None:
            clauses.append(or_(col(Task.due_on) <= self.covers_to,
                               col(Task.due_start).is_(None),
                               col(Task.due_start) <= self.covers_to))
        return clauses

    def unit_where(self, joined_units: bool, inactive: Sequence[int] = ()) -> list[Any]:
        """The conditions on an assignment's unit; units are joined whenever kind is set,
        else the few *inactive* units are left out by id."""
        clauses: list[Any] = []
        if joined_units:
            clauses.append(Unit.active == True)  # noqa: E712
        elif inactive:
            clauses.append(col(Assignment.unit_id).not_in(inactive))
        if self.unit_ids:
            clauses.append(col(Assignment.unit_id).in_(self.unit_ids))
        if self.kind is not None:
            clauses.append(Unit.kind == self.kind)
        return clauses


@dataclass
class Group:
    key: int  # the unit or area id
    total: int
    on_time: int
    late: int
    overdue: int
    due: int  # deadline come by the as-of day
    on_time_due: int
    answered: int  # assignments with any update
    due_today: int = 0  # deadline is the as-of day, not done


def _joined(query: Any, scope: Scope, units: bool = True) -> Any:
    query = query.select_from(Assignment).join(Task, col(Assignment.task_id) == Task.id)
    if scope.area_number is not None:
        query = query.join(Area, col(Task.area_id) == Area.id)
    return query.join(Unit, col(Assignment.unit_id) == Unit.id) if units else query


def _conditions(as_of: date) -> tuple[Any, Any, Any]:
    done = and_(col(Assignment.state) == State.DONE, col(Assignment.completed_on) <= as_of)
    on_time = and_(done, col(Assignment.completed_on) <= col(Task.due_on))
    overdue = and_(col(Task.due_on) < as_of, not_(done))  # the cheaper test first
    return done, on_time, overdue


def _n(cond: Any) -> Any:
    return func.count().filter(cond)  # FILTER (WHERE …): PostgreSQL, SQLite ≥ 3.30


@dataclass
class Progress:
    units: list[Group]
    areas: list[Group]
    overdue: dict[int, list[str]]  # unit id → task codes overdue and not done (plan order)
    blocked: list[tuple[str, str, str, str]]
    tasks: dict[int, int]  # task id → assignments in scope


def _scoped(session: Session, scope: Scope, columns: list[Any], where: list[Any],
            group: list[Any], inactive: list[int], by_unit: bool = False) -> list[Any]:
    units = scope.kind is not None  # else: no join, the few inactive units left out by id
    query = _joined(select(*columns), scope, units).where(
        *scope.where(joined_units=units, by_unit=by_unit, inactive=inactive), *where)
    return list(session.connection().execute(query.group_by(*group)).fetchall())


def _per_task(session: Session, scope: Scope, inactive: list[int]) -> dict[int, int]:
    """Task id → assignments in scope, for the tasks that have any: one count per task on
    the (task, unit) index, instead of joining each of 250,000 assignments to its task."""
    units = scope.kind is not None
    count = select(func.count()).select_from(Assignment)
    if units:
        count = count.join(Unit, col(Assignment.unit_id) == Unit.id)
    count = count.where(col(Assignment.task_id) == Task.id, *scope.unit_where(units, inactive))
    query = select(Task.id, count.scalar_subquery())
    if scope.area_number is not None:
        query = query.join(Area, col(Task.area_id) == Area.id)
    query = query.where(Task.plan_id == scope.plan_id, *scope.task_where())
    return {int(task): int(n) for task, n in session.connection().execute(query) if n}


def progress(session: Session, scope: Scope, as_of: date) -> Progress:
    """Everything a summary counts, on the session's own connection (one transaction).
    Per unit: one scan grouped by unit in index order, with the overdue task ids joined by
    the database. Per area: summed from per task, which needs only how many assignments
    each task has and on which days the done ones were completed."""
    connection = session.connection()
    done, on_time, overdue = _conditions(as_of)
    if connection.dialect.name == "postgresql":
        ids = func.string_agg(cast(Task.id, String), ",").filter(overdue)
    else:
        ids = func.group_concat(Task.id).filter(overdue)
    tasks = {t.id: t for t in session.exec(select(Task).where(Task.plan_id == scope.plan_id))}
    # on most days no task falls due: then nothing is due today, and the scan need not
    # compare 250,000 deadlines once more to say so
    due_today = _n(and_(col(Task.due_on) == as_of, not_(done))) \
        if any(t.due_on == as_of for t in tasks.values()) else literal(0)
    inactive = [int(i) for i in session.connection().execute(
        select(Unit.id).where(Unit.active == False)).scalars()]  # noqa: E712
    unit_rows = _scoped(session, scope, [  # how many are overdue: the ids, counted below
        Assignment.unit_id, func.count(), _n(on_time),
        _n(and_(done, col(Assignment.completed_on) > col(Task.due_on))),
        func.count(col(Assignment.updated_at)), ids, due_today], [], [Assignment.unit_id],
        inactive, by_unit=True)
    per_task = _per_task(session, scope, inactive)
    finished = _scoped(session, scope, [Assignment.task_id, Assignment.completed_on,
                                        func.count()],
                       [col(Assignment.state) == State.DONE,
                        col(Assignment.completed_on) <= as_of],
                       [Assignment.task_id, Assignment.completed_on],
                       inactive)  # the state index
    areas: dict[int, Group] = {}
    for task_id, n in per_task.items():
        t = tasks[task_id]
        g = areas.setdefault(t.area_id, Group(t.area_id, 0, 0, 0, 0, 0, 0, 0))
        g.total += n
        if t.due_on <= as_of:
            g.due += n
        if t.due_on < as_of:
            g.overdue += n  # less those done, below
    for task_id, on, n in finished:
        t = tasks[task_id]
        g = areas[t.area_id]
        if on <= t.due_on:
            g.on_time += n
            if t.due_on <= as_of:
                g.on_time_due += n
        else:
            g.late += n
        if t.due_on < as_of:
            g.overdue -= n
    codes: dict[int, list[str]] = {}
    seen: dict[str, list[str]] = {}  # many schools are late on the same tasks
    units = []
    for unit_id, total, in_time, late, answered, late_ids, due_today in unit_rows:
        late_codes: list[str] = []
        if late_ids:
            key = str(late_ids)
            if key not in seen:
                found = sorted((tasks[int(i)] for i in key.split(",")),
                               key=lambda t: t.position)
                seen[key] = [t.code for t in found]
            codes[unit_id] = late_codes = seen[key]
        units.append(Group(unit_id, total, in_time or 0, late or 0, len(late_codes), 0, 0,
                           answered or 0, due_today or 0))
    for g in areas.values():
        g.due_today = g.due - g.on_time_due - g.late - g.overdue
    return Progress(units, list(areas.values()), codes, blocked(connection, scope),
                    per_task)


def blocked(connection: Connection, scope: Scope) -> list[tuple[str, str, str, str]]:
    """(unit code, unit name, task code, reason) of every blocked assignment."""
    query = _joined(select(Unit.code, Unit.name, Task.code, Assignment.note), scope).where(
        *scope.where(), Assignment.state == State.BLOCKED).order_by(
        col(Unit.code), col(Task.position))
    return [(str(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in connection.execute(query)]
