"""Counting assignments by the four-way verdict: the numbers every report shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from storage.models import Verdict
from storage.records import Status
from storage.verdict import verdict


def verdict_of(s: Status, today: date) -> Verdict:
    """The verdict of one assignment as of *today* (completion days are stored local)."""
    a = s.assignment
    return verdict(a.state, s.task.due_on, a.completed_on, today)


@dataclass
class Counts:
    on_time: int = 0
    late: int = 0
    pending: int = 0
    overdue: int = 0

    def add(self, v: Verdict) -> None:
        if v == Verdict.DONE_ON_TIME:
            self.on_time += 1
        elif v == Verdict.DONE_LATE:
            self.late += 1
        elif v == Verdict.PENDING:
            self.pending += 1
        else:
            self.overdue += 1

    @property
    def done(self) -> int:
        return self.on_time + self.late

    @property
    def total(self) -> int:
        return self.done + self.pending + self.overdue

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
