"""One report as of a moment: every figure `/baocao`, the JSON, the Excel and Word files and
the chart show, computed once, in one transaction, from the records as they stood then.

`snapshot(session, query, at)` is the public entry point. When nothing was recorded or
submitted after *at*, the current records are the records as of *at*, and the database
counts them (fast enough for a city's 10,000 schools). Otherwise the records and the
report submissions are replayed from the append-only history up to *at*, so a backdated
report never shows a completion or a submission made later.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.collector import collector_paused
from handlers.reports.labels import Mark
from handlers.reports.query import Query
from handlers.reports.tally import Counts, mark_of
from storage import aggregates
from storage.aggregates import Scope
from storage.asof import (
    changed_after,
    history_as_of,
    record_as_of,
    submissions_as_of,
    submissions_now,
)
from storage.inspections import inspected_units
from storage.issuer import IssuerProfile, profile_of
from storage.models import Area, Plan, ReportPeriod, State, Task, UnitKind
from storage.periods import closures, periods_of
from storage.plans import active_plan, areas_of, tasks_of
from storage.records import Status, status_rows
from storage.textnorm import fold
from storage.units import UnitRow, unit_rows


class BoardRow(NamedTuple):
    unit: UnitRow
    submitted_at: datetime | None  # local time; None: not submitted
    days_late: int  # submitted: days after the deadline; not submitted: days overdue now


@dataclass
class Board:
    """Who submitted one report, when, and how late."""

    code: str  # machine key (JSON only; never shown to a person)
    name: str
    due_on: date
    periodic: bool
    closed: bool
    rows: list[BoardRow]

    @property
    def submitted(self) -> list[UnitRow]:
        return [r.unit for r in self.rows if r.submitted_at is not None]

    @property
    def missing(self) -> list[UnitRow]:
        return [r.unit for r in self.rows if r.submitted_at is None]

    def overdue_days(self, today: date) -> int:
        return max(0, (today - self.due_on).days)


@dataclass
class Snapshot:
    plan: Plan
    office: IssuerProfile  # the issuing office, wherever the report names it
    at: datetime  # the moment the report is as of
    today: date  # its day (a period's last day when a past period is asked for)
    overall: Counts
    by_area: list[tuple[Area, Counts]]
    by_unit: list[tuple[UnitRow, Counts, list[str]]]  # office first; codes overdue
    unanswered: list[UnitRow]
    tz: ZoneInfo
    tasks: list[Task] = field(default_factory=list)  # the tasks assigned in scope
    boards: list[Board] = field(default_factory=list)  # reports owed, or the one asked for
    due_by_now: int = 0  # assignments whose deadline has come
    on_time_due: int = 0  # … of which done on time
    inspected: int = 0
    schools: int = 0
    blocked: list[tuple[str, str, str, str]] = field(default_factory=list)  # unit code,
    # unit name, task code, reason
    filtered: bool = False
    asked: Board | None = None  # the period the query asked for (the report is about it)
    from_history: bool = False
    load_rows: Callable[[], list[Status]] | None = None
    _rows: list[Status] | None = None

    @property
    def rows(self) -> list[Status]:
        """Every assignment in scope as of the moment (detail views, the Excel matrix)."""
        if self._rows is None:
            with collector_paused():  # a quarter of a million rows for a city, no cycles
                self._rows = self.load_rows() if self.load_rows else []
        return self._rows

    @property
    def units(self) -> list[UnitRow]:
        return [u for u, _, _ in self.by_unit]

    @property
    def board(self) -> Board | None:
        """The report this snapshot is mainly about: the one asked for, else the oldest
        still owed, else the next one."""
        return self.boards[0] if self.boards else None

    # the names of the first report, for callers of the older summary
    @property
    def period(self) -> Board | None:
        return self.board

    @property
    def submitted(self) -> list[UnitRow]:
        return self.board.submitted if self.board else []

    @property
    def missing(self) -> list[UnitRow]:
        return self.board.missing if self.board else []


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


@dataclass
class _Tally:
    units: dict[int, Counts]
    answered: set[int]
    areas: dict[int, Counts]
    overdue: dict[int, list[str]]
    blocked: list[tuple[str, str, str, str]]
    tasks: set[int]
    due_by_now: int
    on_time_due: int


def _counts(g: aggregates.Group) -> Counts:
    return Counts(g.on_time, g.late, g.total - g.on_time - g.late - g.overdue - g.due_today,
                  g.overdue, g.due_today)


def _tally_now(session: Session, scope: Scope, as_of: date) -> _Tally:
    p = aggregates.progress(session, scope, as_of)
    return _Tally({g.key: _counts(g) for g in p.units}, {g.key for g in p.units if g.answered},
                  {g.key: _counts(g) for g in p.areas}, p.overdue, p.blocked, set(p.tasks),
                  sum(g.due for g in p.areas), sum(g.on_time_due for g in p.areas))


def _tally_rows(rows: list[Status], as_of: date) -> _Tally:
    t = _Tally({}, set(), {}, {}, [], set(), 0, 0)
    for s in rows:
        m = mark_of(s, as_of)
        unit_id = s.unit.id or 0
        t.units.setdefault(unit_id, Counts()).add(m)
        t.areas.setdefault(s.task.area_id, Counts()).add(m)
        t.tasks.add(s.task.id or 0)
        if s.assignment.updated_at is not None:
            t.answered.add(unit_id)
        if m == Mark.OVERDUE:
            t.overdue.setdefault(unit_id, []).append(s.task.code)
        if s.task.due_on <= as_of:
            t.due_by_now += 1
            t.on_time_due += m == Mark.ON_TIME
    for s in sorted((s for s in rows if s.assignment.state == State.BLOCKED),
                    key=lambda s: (s.unit.code, s.task.position)):
        t.blocked.append((s.unit.code, s.unit.name, s.task.code, s.assignment.note))
    return t


def _rows_as_of(session: Session, plan_id: int, moment: datetime) -> list[Status]:
    then = history_as_of(session, plan_id=plan_id, moment=moment)
    out = []
    for s in status_rows(session, plan_id=plan_id):
        snap, at = then.get(s.assignment.assignment_id, (None, None))
        out.append(Status(record_as_of(s.assignment, snap, at), s.task, s.unit))
    return out


def _boards(periods: list[ReportPeriod], q: Query, schools: list[UnitRow],
            done: dict[tuple[int, int], datetime], today: date, moment: datetime,
            tz: ZoneInfo, closed_at: dict[int, datetime]) -> list[Board]:
    def board(p: ReportPeriod) -> Board:
        period_id, owed = p.id or 0, max(0, (today - p.due_on).days)

        def row(u: UnitRow) -> BoardRow:
            at = done.get((period_id, u.id))
            if at is None:
                return BoardRow(u, None, owed)
            local = at.astimezone(tz)  # stored in UTC, read back aware
            return BoardRow(u, local, max(0, (local.date() - p.due_on).days))
        rows = list(map(row, schools))
        when = closed_at.get(p.id or 0)
        closed = when is not None and when <= moment
        return Board(p.code, p.name, p.due_on, p.periodic, closed, rows)

    if q.period is not None:
        return [board(q.period)]
    shown = []
    for p in periods:
        if p.due_on < today:
            b = board(p)
            if not b.closed and b.missing:
                shown.append(b)  # still owed: stays until all submitted or closed
    upcoming = [p for p in periods if p.due_on >= today]
    if upcoming:
        shown.append(board(upcoming[0]))
    return shown


@collector_paused()  # 10,000 schools' rows: no cycles among them
def snapshot(session: Session, query: Query | None, at: datetime,
             plan: Plan | None = None, replay: bool | None = None) -> Snapshot:
    """The report for *query* as of the moment *at* (an aware local time). *replay*: force
    (True) or forbid (False) the replay of the history; by default it is used only when
    something was recorded after *at*."""
    q = query or Query()
    plan = plan or active_plan(session)
    if plan is None:
        raise LookupError("no active plan")
    tz = at.tzinfo if isinstance(at.tzinfo, ZoneInfo) else ZoneInfo("Asia/Ho_Chi_Minh")
    today = at.date()
    as_of = min(today, q.period.covers_to) if q.period else today
    plan_id = plan.id or 0
    areas = areas_of(session, plan_id=plan_id)
    all_units = unit_rows(session)
    history = changed_after(session, moment=at) if replay is None else replay
    if history:
        rows = select_rows(_rows_as_of(session, plan_id, at), q, areas)
        tally = _tally_rows(rows, as_of)

        def load_rows() -> list[Status]:
            return rows
        done = submissions_as_of(session, plan_id=plan_id, moment=at)
    else:
        scope = Scope(plan_id, q.task, q.area, tuple(u.id or 0 for u in q.units), q.kind,
                      q.period.covers_to if q.period else None)
        tally = _tally_now(session, scope, as_of)
        in_scope = set(tally.units)

        def load_rows() -> list[Status]:
            found = select_rows(status_rows(session, plan_id=plan_id), q, areas)
            return [r for r in found if r.unit.id in in_scope]
        done = submissions_now(session, plan_id=plan_id)
    overall = Counts()
    for c in tally.units.values():
        overall.merge(c)
    by_unit = [(u, tally.units[u.id], tally.overdue.get(u.id, [])) for u in all_units
               if u.id in tally.units]  # in code order (unit_rows), the office first:
    by_unit.sort(key=lambda r: r[0].kind != UnitKind.OFFICE)  # a stable sort keeps the rest
    unanswered = [u for u, _, _ in by_unit
                  if u.kind != UnitKind.OFFICE and u.id not in tally.answered]
    tasks = [t for t in tasks_of(session, plan_id=plan_id) if t.id in tally.tasks]
    schools = [u for u in all_units if u.kind != UnitKind.OFFICE]
    in_scope_schools = [u for u, _, _ in by_unit if u.kind != UnitKind.OFFICE]
    if not q.filtered:
        in_scope_schools = schools
    s = Snapshot(plan, profile_of(plan), at, as_of, overall,
                 [(a, tally.areas.get(a.id or 0, Counts())) for a in areas], by_unit,
                 unanswered, tz, tasks, due_by_now=tally.due_by_now,
                 on_time_due=tally.on_time_due, blocked=tally.blocked, filtered=q.filtered,
                 from_history=history, load_rows=load_rows)
    s.schools = len(schools)
    s.inspected = len(inspected_units(session, plan_id=plan_id, until=as_of)
                      & {u.id for u in schools})
    s.boards = _boards(periods_of(session, plan_id=plan_id), q, in_scope_schools, done,
                       as_of, at, tz, closures(session, plan_id=plan_id))
    s.asked = s.boards[0] if q.period is not None and s.boards else None
    return s


def end_of_day(day: date, tz: ZoneInfo) -> datetime:
    """The last moment of *day*: a report "as of 24/6" includes what was recorded that day."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tz) - \
        timedelta(microseconds=1)


def slug(text: str) -> str:
    """'Báo cáo quý I năm 2024' → 'bao-cao-quy-i-nam-2024' (file names)."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text).replace("đ", "d")).strip("-")
