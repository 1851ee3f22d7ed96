"""`/baocao` in chat: the plan at a glance — per area, per school, overdue, silent schools,
the report currently owed and the plan's targets — or one slice of it (a task, an area, a
school, a kind of school, a period, only the overdue, only the silent)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.config import Config
from handlers.reports.query import Query
from handlers.reports.tally import Counts
from storage import aggregates
from storage.aggregates import Group, Scope
from storage.inspections import inspected_units
from storage.models import Area, Plan, ReportPeriod, Task, UnitKind
from storage.periods import periods_of, submissions_of
from storage.plans import areas_of, tasks_of
from storage.records import Status, status_rows
from storage.units import UnitRow, unit_rows


@dataclass
class Summary:
    plan: Plan
    today: date  # the as-of day
    overall: Counts
    by_area: list[tuple[Area, Counts]]
    by_unit: list[tuple[UnitRow, Counts, list[str]]]  # with the codes overdue, not done
    unanswered: list[UnitRow]
    tz: ZoneInfo
    tasks: list[Task] = field(default_factory=list)  # the tasks in scope
    period: ReportPeriod | None = None
    submitted: list[UnitRow] = field(default_factory=list)
    missing: list[UnitRow] = field(default_factory=list)
    due_by_now: int = 0  # assignments whose deadline has come
    on_time_due: int = 0  # … of which done on time
    inspected: int = 0
    schools: int = 0
    blocked: list[tuple[str, str, str, str]] = field(default_factory=list)  # unit code, name,
    load_rows: Callable[[], list[Status]] | None = None  # task code, reason
    _rows: list[Status] | None = None

    @property
    def rows(self) -> list[Status]:
        """Every assignment in scope, one by one (detail views and the Excel matrix)."""
        if self._rows is None:
            self._rows = self.load_rows() if self.load_rows else []
        return self._rows

    @property
    def units(self) -> list[UnitRow]:
        return [u for u, _, _ in self.by_unit]


def current_period(periods: list[ReportPeriod], today: date) -> ReportPeriod | None:
    """The report owed now: the first one not yet past due, else the latest."""
    upcoming = [p for p in periods if p.due_on >= today]
    return upcoming[0] if upcoming else (periods[-1] if periods else None)


def _counts(g: Group | None = None) -> Counts:
    c = Counts()
    if g is not None:
        c.on_time, c.late, c.overdue = g.on_time, g.late, g.overdue
        c.pending = g.total - g.on_time - g.late - g.overdue
    return c


def _add(c: Counts, g: Group) -> None:
    c.on_time += g.on_time
    c.late += g.late
    c.overdue += g.overdue
    c.pending += g.total - g.on_time - g.late - g.overdue


def build_summary(session: Session, plan: Plan, today: date, config: Config,
                  q: Query | None = None) -> Summary:
    q = q or Query()
    as_of = min(today, q.period.covers_to) if q.period else today
    scope = Scope(plan.id or 0, q.task, q.area, tuple(u.id or 0 for u in q.units), q.kind,
                  q.period.covers_to if q.period else None)
    areas = areas_of(session, plan_id=plan.id or 0)
    unit_map = {u.id: u for u in unit_rows(session)}
    counted = aggregates.progress(session, scope, as_of)
    per_area = {g.key: _counts(g) for g in counted.areas}
    unit_groups = counted.units
    per_unit = {g.key: _counts(g) for g in unit_groups}
    answered = {g.key: g.answered for g in unit_groups}
    overall = Counts()
    for g in unit_groups:
        _add(overall, g)
    due_by_now = sum(g.due for g in counted.areas)
    on_time_due = sum(g.on_time_due for g in counted.areas)
    late = counted.overdue
    by_unit = sorted(((unit_map[u], c, late.get(u, [])) for u, c in per_unit.items()
                      if u in unit_map), key=lambda r: (r[0].kind != UnitKind.OFFICE, r[0].code))
    unanswered = [u for u, _, _ in by_unit if u.kind != UnitKind.OFFICE and not answered[u.id]]
    in_scope = {t for u, _, _ in by_unit for t in [u.id]}
    tasks = [t for t in tasks_of(session, plan_id=plan.id or 0)
             if (q.task is None or t.code == q.task)
             and (q.area is None or any(a.id == t.area_id and a.number == q.area
                                        for a in areas))]

    def load_rows() -> list[Status]:
        rows = select_rows(status_rows(session, plan_id=plan.id or 0), q, areas)
        return [r for r in rows if r.unit.id in in_scope]

    summary = Summary(plan, as_of, overall, [(a, per_area.get(a.id or 0, Counts()))
                                             for a in areas], by_unit, unanswered, config.tz,
                      tasks, due_by_now=due_by_now, on_time_due=on_time_due,
                      blocked=counted.blocked, load_rows=load_rows)
    schools = [u for u in unit_map.values() if u.kind != UnitKind.OFFICE]
    summary.schools = len(schools)
    summary.inspected = len(inspected_units(session, plan_id=plan.id or 0, until=as_of)
                            & {u.id for u in schools})
    period = q.period or current_period(periods_of(session, plan_id=plan.id or 0), today)
    if period is not None:
        done = {s.unit_id for s in submissions_of(session, period_id=period.id or 0)}
        owing = [u for u, _, _ in by_unit if u.kind != UnitKind.OFFICE]
        summary.period = period
        summary.submitted = [u for u in owing if u.id in done]
        summary.missing = [u for u in owing if u.id not in done]
    return summary


def select_rows(rows: list[Status], q: Query, areas: list[Area]) -> list[Status]:
    area_ids = {a.id for a in areas if a.number == q.area}
    unit_ids = {u.id for u in q.units}
    return [s for s in rows
            if (q.task is None or s.task.code == q.task)
            and (q.area is None or s.task.area_id in area_ids)
            and (not unit_ids or s.unit.id in unit_ids)
            and (q.kind is None or s.unit.kind == q.kind)
            and (q.period is None or s.task.due_on <= q.period.covers_to
                 or s.task.due_start is None or s.task.due_start <= q.period.covers_to)]


