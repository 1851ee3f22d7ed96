"""Changing completion records and report submissions — always with a history row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from storage.models import Assignment, History, ReportPeriod, State, Submission, utcnow


@dataclass(frozen=True)
class Change:
    """What one message asks to record for one assignment."""

    assignment_id: int
    state: State
    percent: int | None = None
    note: str = ""
    evidence: str = ""


def _snapshot(a: Assignment) -> dict[str, Any]:
    return {
        "state": a.state.value,
        "percent": a.percent,
        "note": a.note,
        "evidence": a.evidence,
        "completed_at": a.completed_at.isoformat() if a.completed_at else None,
    }


def _restore(a: Assignment, snap: dict[str, Any]) -> None:
    a.state = State(snap["state"])
    a.percent = int(snap["percent"])
    a.note = snap["note"]
    a.evidence = snap["evidence"]
    a.completed_at = datetime.fromisoformat(snap["completed_at"]) if snap["completed_at"] \
        else None


def apply_change(a: Assignment, change: Change, at: datetime) -> None:
    """The new record for *a*; percent is kept when a message does not give one."""
    a.state = change.state
    if change.state == State.DONE:
        a.percent = 100
        if a.completed_at is None:
            a.completed_at = at
    else:
        a.completed_at = None
        if change.percent is not None:
            a.percent = change.percent
        elif change.state == State.NOT_STARTED:
            a.percent = 0
        a.percent = min(a.percent, 99)
    if change.note or change.state != State.BLOCKED:
        a.note = change.note
    if change.evidence:
        a.evidence = change.evidence


def record_changes(session: Session, *, changes: list[Change], contact_id: int | None,
                   channel: str, raw_text: str, batch: str, on_behalf: bool = False,
                   at: datetime | None = None) -> list[tuple[Assignment, dict, dict]]:
    """Apply *changes* in the caller's transaction, one history row each."""
    at = at or utcnow()
    done = []
    for change in changes:
        a = session.get(Assignment, change.assignment_id)
        if a is None:
            raise LookupError(f"assignment {change.assignment_id} does not exist")
        old = _snapshot(a)
        apply_change(a, change, at)
        a.updated_at, a.updated_by = at, contact_id
        new = _snapshot(a)
        session.add(a)
        session.add(History(at=at, batch=batch, action="record", assignment_id=a.id,
                            contact_id=contact_id, on_behalf=on_behalf, channel=channel,
                            raw_text=raw_text, old=old, new=new))
        done.append((a, old, new))
    session.flush()
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
    assignments: list[tuple[Assignment, dict]]  # the record now, and what was undone
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
            a = session.get(Assignment, row.assignment_id)
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
