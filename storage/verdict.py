"""The four-way verdict users know."""

from __future__ import annotations

from datetime import date

from storage.models import State, Verdict

VERDICT_NAMES: dict[Verdict, str] = {
    Verdict.DONE_ON_TIME: "hoàn thành đúng hạn",
    Verdict.DONE_LATE: "hoàn thành quá hạn",
    Verdict.PENDING: "chưa đến hạn (đang thực hiện)",
    Verdict.OVERDUE: "quá hạn chưa hoàn thành",
}


def verdict(state: State, due_on: date, completed_on: date | None, today: date) -> Verdict:
    """Done on time / done late / not done within deadline / overdue — as of *today*
    (a task completed after *today* was not done yet then)."""
    if state == State.DONE and (completed_on is None or completed_on <= today):
        day = completed_on or today
        return Verdict.DONE_ON_TIME if day <= due_on else Verdict.DONE_LATE
    return Verdict.PENDING if today <= due_on else Verdict.OVERDUE
