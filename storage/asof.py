"""Records and report submissions as they stood at a past moment, replayed from the
append-only history (every record change, undo and submission is a history row)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import exists
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.models import Assignment, History, ReportPeriod, State, Submission, Task
from storage.records import Record


def changed_after(session: Session, *, moment: datetime) -> bool:
    """Whether anything was recorded or submitted after *moment* (if not, the current
    records are the records as of *moment*)."""
    later = select(exists().where(col(History.at) > moment))
    later_sub = select(exists().where(col(Submission.submitted_at) > moment))
    connection = session.connection()
    return bool(connection.execute(later).scalar()) or \
        bool(connection.execute(later_sub).scalar())


def record_as_of(current: Record, snap: dict[str, Any] | None, at: datetime | None) -> Record:
    """*current* as it stood after the history row (*snap*, written at *at*); no row:
    never touched by then (not started)."""
    if snap is None:
        return Record(current.assignment_id, current.task_id, current.code, current.position,
                      current.due_on, State.NOT_STARTED, 0, "", "", None, None, None, None)
    on, done_at = snap.get("completed_on"), snap.get("completed_at")
    return Record(current.assignment_id, current.task_id, current.code, current.position,
                  current.due_on, State(snap["state"]), int(snap.get("percent", 0)),
                  str(snap.get("note", "")), str(snap.get("evidence", "")),
                  datetime.fromisoformat(done_at) if done_at else None,
                  date.fromisoformat(on) if on else None, at, None)


def history_as_of(session: Session, *, plan_id: int, moment: datetime
                  ) -> dict[int, tuple[dict[str, Any], datetime]]:
    """Assignment id → (its record after the last change made by *moment*, when) — for
    every assignment of the plan changed by then."""
    query = (sa_select(col(History.assignment_id), col(History.at), col(History.new))
             .join(Assignment, col(History.assignment_id) == Assignment.id)
             .join(Task, col(Assignment.task_id) == Task.id)
             .where(col(Task.plan_id) == plan_id,
                    col(History.action).in_(("record", "undo")),
                    col(History.at) <= moment)
             .order_by(col(History.id)))
    out: dict[int, tuple[dict[str, Any], datetime]] = {}
    for assignment_id, at, new in session.connection().execute(query):
        out[int(assignment_id)] = (dict(new), at)
    return out


def submissions_as_of(session: Session, *, plan_id: int, moment: datetime
                      ) -> dict[tuple[int, int], datetime]:
    """(period id, unit id) → when submitted, of the submissions standing at *moment*
    (a submission undone before then is not one)."""
    periods = set(session.exec(select(ReportPeriod.id).where(ReportPeriod.plan_id == plan_id)))
    query = (select(History.at, History.action, History.old, History.new)
             .where(col(History.assignment_id).is_(None),
                    col(History.action).in_(("report", "undo")), History.at <= moment)
             .order_by(col(History.id)))
    out: dict[tuple[int, int], datetime] = {}
    for at, action, old, new in session.connection().execute(query):
        if action == "report" and new.get("period_id") in periods:
            out.setdefault((new["period_id"], new["unit_id"]), at)
        elif action == "undo" and old.get("period_id") in periods:
            out.pop((old["period_id"], old["unit_id"]), None)
    return out


def submissions_now(session: Session, *, plan_id: int) -> dict[tuple[int, int], datetime]:
    rows = session.connection().execute(
        select(Submission.period_id, Submission.unit_id, Submission.submitted_at)
        .join(ReportPeriod, col(Submission.period_id) == ReportPeriod.id)
        .where(ReportPeriod.plan_id == plan_id))
    return {(p, u): at for p, u, at in rows}
