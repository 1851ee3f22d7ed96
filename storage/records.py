"""Assignments and their completion records: the one read model (`Record`, `Status`), the
reads of replies, reports and the planner, and every change — always with a history row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, insert, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.models import Assignment, History, ReportPeriod, State, Submission, Task, Unit, utcnow
from storage.prepared import Prepared
from storage.units import UnitRow, unit_rows


@dataclass(frozen=True)
class Change:
    """What one message asks to record for one assignment."""

    assignment_id: int
    state: State
    percent: int | None = None
    note: str = ""
    evidence: str = ""
    completed_on: date | None = None  # done on a day the user said (else the day recorded)


@dataclass(slots=True)
class Record:
    """The read model of an assignment: its task's code and deadline, and the unit's
    completion record — read lean (no ORM objects; slots: a city report holds a quarter of
    a million). Replies, /nhiemvu, reports and exports all read this one shape."""

    assignment_id: int
    task_id: int
    code: str
    position: int
    due_on: date
    state: State
    percent: int
    note: str
    evidence: str
    completed_at: datetime | None
    completed_on: date | None
    updated_at: datetime | None = None
    updated_by: int | None = None  # the contact who last changed it

    def snapshot(self) -> dict[str, Any]:
        return _snapshot(self)


_COLUMNS: tuple[Any, ...] = (  # in Record's order
    Assignment.id, Assignment.task_id, Task.code, Task.position, Task.due_on, Assignment.state,
    Assignment.percent, Assignment.note, Assignment.evidence, Assignment.completed_at,
    Assignment.completed_on, Assignment.updated_at, Assignment.updated_by)
_RECORDS = (sa_select(*_COLUMNS).join(Task, col(Assignment.task_id) == Task.id)
            .order_by(col(Task.position)))
# Built once: the hot path only binds values (statement building costs more than SQLite).
_BY_UNIT = _RECORDS.where(col(Task.plan_id) == bindparam("plan_id"),
                          col(Assignment.unit_id) == bindparam("unit_id"))
_BY_UNIT_CODE = _BY_UNIT.where(col(Task.code) == bindparam("code"))  # the usual single task
_BY_IDS = _RECORDS.where(col(Assignment.id).in_(bindparam("ids", expanding=True)))
_UPDATE = Prepared(update(Assignment).where(col(Assignment.id) == bindparam("aid"))
           .values(state=bindparam("state"), percent=bindparam("percent"),
                   note=bindparam("note"), evidence=bindparam("evidence"),
                   completed_at=bindparam("completed_at"),
                   completed_on=bindparam("completed_on"), updated_at=bindparam("at"),
                   updated_by=bindparam("by")))
_HISTORY_COLUMNS = ("at", "batch", "action", "assignment_id", "contact_id", "on_behalf",
                    "channel", "raw_text", "old", "new")  # every one but the id
_INSERT_HISTORY = Prepared(insert(History).values({c: bindparam(c) for c in _HISTORY_COLUMNS}))
_UNIT = Prepared(_BY_UNIT)
_UNIT_CODE = Prepared(_BY_UNIT_CODE)


def unit_records(session: Session, *, plan_id: int, unit_id: int,
                 codes: list[str] | None = None) -> list[Record]:
    """The assignments of a unit in a plan (all, or those with *codes*), in plan order."""
    params: dict[str, Any] = {"plan_id": plan_id, "unit_id": unit_id}
    if codes is not None and len(set(codes)) == 1:
        return [Record(*row) for row in _UNIT_CODE.execute(session, {**params,
                                                                     "code": codes[0]})]
    records = [Record(*row) for row in _UNIT.execute(session, params)]  # a unit has few
    return records if codes is None else [r for r in records if r.code in codes]


def records_by_id(session: Session, ids: list[int]) -> list[Record]:
    return [Record(*row) for row in session.connection().execute(_BY_IDS, {"ids": ids})]


def _snapshot(a: Assignment | Record) -> dict[str, Any]:
    return {
        "state": a.state.value,
        "percent": a.percent,
        "note": a.note,
        "evidence": a.evidence,
        "completed_at": a.completed_at.isoformat() if a.completed_at else None,
        "completed_on": a.completed_on.isoformat() if a.completed_on else None,
    }


def _restore(a: Assignment, snap: dict[str, Any]) -> None:
    a.state = State(snap["state"])
    a.percent = int(snap["percent"])
    a.note = snap["note"]
    a.evidence = snap["evidence"]
    a.completed_at = datetime.fromisoformat(snap["completed_at"]) if snap["completed_at"] \
        else None
    on = snap.get("completed_on")
    a.completed_on = date.fromisoformat(on) if on else (
        a.completed_at.date() if a.completed_at else None)


def apply_change(a: Assignment | Record, change: Change, at: datetime) -> None:
    """The new record for *a*; percent is kept when a message does not give one, except
    the 100% of a task reopened: how far it is now was not said, so it is not known (0)."""
    reopened = a.state == State.DONE and change.state != State.DONE
    a.state = change.state
    if change.state == State.DONE:
        a.percent = 100
        if a.completed_at is None:  # *at* is the office's local time
            a.completed_at, a.completed_on = at, change.completed_on or at.date()
    else:
        a.completed_at = a.completed_on = None
        if change.percent is not None:
            a.percent = change.percent
        elif change.state == State.NOT_STARTED or reopened:
            a.percent = 0
        a.percent = min(a.percent, 99)
    if change.note or change.state != State.BLOCKED:
        a.note = change.note
    if change.evidence:
        a.evidence = change.evidence


def record_changes(session: Session, *, changes: list[Change], contact_id: int | None,
                   channel: str, raw_text: str, batch: str, on_behalf: bool = False,
                   at: datetime | None = None, current: dict[int, Record] | None = None
                   ) -> list[tuple[Record, dict[str, Any], dict[str, Any]]]:
    """Apply *changes* in the caller's transaction, one history row each (plain SQL
    statements: this is the hot path of every status reply). *current*: the records as
    the caller just read them in this transaction (saves reading them again)."""
    at = at or utcnow()
    if current is None or any(c.assignment_id not in current for c in changes):
        current = {r.assignment_id: r for r in records_by_id(
            session, [c.assignment_id for c in changes])}
    done, updates, history = [], [], []
    for change in changes:
        r = current.get(change.assignment_id)
        if r is None:
            raise LookupError(f"assignment {change.assignment_id} does not exist")
        old = r.snapshot()
        apply_change(r, change, at)
        new = r.snapshot()
        updates.append({"aid": r.assignment_id, "state": r.state, "percent": r.percent,
                        "note": r.note, "evidence": r.evidence,
                        "completed_at": r.completed_at, "completed_on": r.completed_on,
                        "at": at, "by": contact_id})
        history.append({"at": at, "batch": batch, "action": "record",
                        "assignment_id": r.assignment_id, "contact_id": contact_id,
                        "on_behalf": on_behalf, "channel": channel, "raw_text": raw_text,
                        "old": old, "new": new})
        done.append((r, old, new))
    for values in updates:  # on the driver's cursor: the hot path of every status reply
        _UPDATE.execute(session, values)
    for values in history:
        _INSERT_HISTORY.execute(session, values)
    return done


def submit_report(session: Session, *, period: ReportPeriod, unit_id: int,
                  contact_id: int | None, channel: str, raw_text: str, batch: str,
                  on_behalf: bool = False, at: datetime | None = None) -> Submission:
    """Mark *period* submitted by *unit_id* (once; a second time keeps the first date)."""
    at = at or utcnow()
    found = session.exec(select(Submission).where(
        Submission.period_id == period.id, Submission.unit_id == unit_id)).first()
    if found is not None:
        return found
    sub = Submission(period_id=period.id or 0, unit_id=unit_id, submitted_at=at,
                     contact_id=contact_id, channel=channel)
    session.add(sub)
    session.add(History(at=at, batch=batch, action="report", contact_id=contact_id,
                        on_behalf=on_behalf, channel=channel, raw_text=raw_text,
                        old={"submitted": False},
                        new={"submitted": True, "period_id": period.id, "unit_id": unit_id}))
    session.flush()
    return sub


@dataclass
class Undone:
    assignments: list[tuple[Assignment, dict[str, Any]]]  # the record now, and what was undone
    periods: list[int]  # period ids whose submission was withdrawn


def undo_last(session: Session, *, contact_id: int, channel: str, batch: str,
              at: datetime | None = None) -> Undone | None:
    """Revert the contact's most recent batch of changes that is not undone yet."""
    at = at or utcnow()
    rows = session.exec(select(History).where(History.contact_id == contact_id)
                        .order_by(col(History.id).desc()).limit(200)).all()
    undone_batches = {r.new.get("undo_of") for r in rows if r.action == "undo"}
    target = next((r.batch for r in rows if r.action in ("record", "report")
                   and r.batch not in undone_batches), None)
    if target is None:
        return None
    result = Undone([], [])
    for row in sorted((r for r in rows if r.batch == target), key=lambda r: r.id or 0,
                      reverse=True):
        if row.action == "record" and row.assignment_id is not None:
            a = session.get(Assignment, row.assignment_id, populate_existing=True)
            if a is None:
                continue
            before = _snapshot(a)
            _restore(a, row.old)
            a.updated_at, a.updated_by = at, contact_id
            session.add(a)
            session.add(History(at=at, batch=batch, action="undo", assignment_id=a.id,
                                contact_id=contact_id, channel=channel, raw_text="hoàn tác",
                                old=before, new={**_snapshot(a), "undo_of": target}))
            result.assignments.append((a, row.new))
        elif row.action == "report":
            sub = session.exec(select(Submission).where(
                Submission.period_id == row.new["period_id"],
                Submission.unit_id == row.new["unit_id"])).first()
            if sub is not None:
                session.delete(sub)
            session.add(History(at=at, batch=batch, action="undo", contact_id=contact_id,
                                channel=channel, raw_text="hoàn tác", old=row.new,
                                new={"submitted": False, "undo_of": target}))
            result.periods.append(row.new["period_id"])
    session.flush()
    return result


class Status(NamedTuple):
    """One assignment with everything a reader needs to show it (a tuple: a city's report
    holds a quarter of a million of them)."""

    assignment: Record
    task: Task
    unit: Unit | UnitRow


def _record(a: Assignment, t: Task) -> Record:
    return Record(a.id or 0, t.id or 0, t.code, t.position, t.due_on, a.state, a.percent,
                  a.note, a.evidence, a.completed_at, a.completed_on, a.updated_at, a.updated_by)


def statuses(session: Session, *, plan_id: int, unit_id: int | None = None) -> list[Status]:
    query = (select(Assignment, Task, Unit)
             .join(Task, col(Assignment.task_id) == Task.id)
             .join(Unit, col(Assignment.unit_id) == Unit.id)
             .where(Task.plan_id == plan_id, Unit.active == True)  # noqa: E712
             .order_by(col(Unit.code), col(Task.position)))
    if unit_id is not None:
        query = query.where(Assignment.unit_id == unit_id)
    # records may have been written by plain statements earlier in this transaction
    query = query.execution_options(populate_existing=True)
    return [Status(_record(a, t), t, u) for a, t, u in session.exec(query)]


def status_rows(session: Session, *, plan_id: int) -> list[Status]:
    """Like `statuses`, lean: one plain query, units as `UnitRow`, the plan's tasks once."""
    tasks = {t.id: t for t in session.exec(select(Task).where(Task.plan_id == plan_id))}
    unit_map = {u.id: u for u in unit_rows(session)}
    columns: tuple[Any, ...] = (
        Assignment.task_id, Assignment.unit_id, Assignment.id, Assignment.state,
        Assignment.percent, Assignment.note, Assignment.evidence, Assignment.completed_at,
        Assignment.completed_on, Assignment.updated_at, Assignment.updated_by)
    query = (sa_select(*columns)
             .join(Task, col(Assignment.task_id) == Task.id)
             .where(col(Task.plan_id) == plan_id)
             .order_by(col(Assignment.unit_id), col(Task.position)))
    out = []
    for task_id, unit_id, *record in session.connection().execute(query):
        unit = unit_map.get(unit_id)
        if unit is not None:
            t = tasks[task_id]
            out.append(Status(Record(record[0], task_id, t.code, t.position, t.due_on,
                                     *record[1:]), t, unit))
    out.sort(key=lambda s: (s.unit.code, s.task.position))
    return out


def recent_history(session: Session, *, contact_id: int, since: datetime) -> list[History]:
    return list(session.exec(select(History).where(History.contact_id == contact_id,
                                                   History.at >= since)
                             .order_by(col(History.id).desc())))


def open_assignments(session: Session, *, plan_id: int, task_ids: list[int] | None = None
                     ) -> list[tuple[int, int]]:
    """(unit_id, task_id) of every assignment not done, of active units — plain integers,
    since a city has hundreds of thousands of them."""
    query = (select(Assignment.unit_id, Assignment.task_id)
             .join(Task, col(Assignment.task_id) == Task.id)
             .join(Unit, col(Assignment.unit_id) == Unit.id)
             .where(Task.plan_id == plan_id, Assignment.state != State.DONE,
                    Unit.active == True)  # noqa: E712
             .order_by(col(Assignment.unit_id), col(Task.position)))
    if task_ids is not None:
        if not task_ids:
            return []
        query = query.where(col(Task.id).in_(task_ids))
    return session.connection().execute(query).fetchall()  # type: ignore[return-value]
