"""Counting assignments by verdict: the numbers every report shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from handlers.reports.labels import Mark
from storage.models import State, Verdict
from storage.records import Status
from storage.verdict import verdict


def verdict_of(s: Status, today: date) -> Verdict:
    """The verdict of one assignment as of *today* (completion days are stored local)."""
    a = s.assignment
    return verdict(a.state, s.task.due_on, a.completed_on, today)


def mark(state: State, due_on: date, completed_on: date | None, today: date) -> Mark:
    """The verdict as shown: the four states, and "due today" on the deadline day."""
    v = verdict(state, due_on, completed_on, today)
    if v == Verdict.DONE_ON_TIME:
        return Mark.ON_TIME
    if v == Verdict.DONE_LATE:
        return Mark.LATE
    if v == Verdict.OVERDUE:
        return Mark.OVERDUE
    return Mark.DUE_TODAY if due_on == today else Mark.PENDING


def mark_of(s: Status, today: date) -> Mark:
    a = s.assignment
    return mark(a.state, s.task.due_on, a.completed_on, today)


@dataclass
class Counts:
    on_time: int = 0
    late: int = 0
    pending: int = 0  # deadline not come yet
    overdue: int = 0
    due_today: int = 0  # deadline is today, not done yet

    def add(self, m: Mark) -> None:
        if m == Mark.ON_TIME:
            self.on_time += 1
        elif m == Mark.LATE:
            self.late += 1
        elif m == Mark.PENDING:
            self.pending += 1
        elif m == Mark.DUE_TODAY:
            self.due_today += 1
        else:
            self.overdue += 1

    def merge(self, other: Counts) -> None:
        self.on_time += other.on_time
        self.late += other.late
        self.pending += other.pending
        self.overdue += other.overdue
        self.due_today += other.due_today

    def of(self, m: Mark) -> int:
        return {Mark.ON_TIME: self.on_time, Mark.LATE: self.late, Mark.PENDING: self.pending,
                Mark.DUE_TODAY: self.due_today, Mark.OVERDUE: self.overdue}[m]

    @property
    def done(self) -> int:
        return self.on_time + self.late

    @property
    def total(self) -> int:
        return self.done + self.pending + self.overdue + self.due_today

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
