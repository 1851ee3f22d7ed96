"""What reminders are due: a pure function of (snapshot of the plan and records, days).

No I/O and no clock: `remind --dry-run`, the demo's simulated year, the tests and the
service all call `plan_digests` with the same data and get the same answer.

Rules (offsets are settings):
- before a deadline T: on T-7, T-3, T-1 and T; a day off moves the reminder to the working
  day before it (never after the deadline it warns of);
- after it: on T+1, T+3, then weekly; a day off moves the notice to the next working day;
- all-year tasks are not nagged daily: they are asked for progress on the days the
  periodic reports are reminded, and from their year-end deadline on like any task;
- reports owed (periodic and ad hoc) follow the same before/after rule;
- a school overdue by more than `escalate_after` days reaches staff in their digest.
Everything that fell due in (since, today] is collected once, so a service that was down
sends one digest that catches up, and nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from handlers.workdays import workday_on_or_after, workday_on_or_before


@dataclass(frozen=True)
class Rules:
    """When reminders are due (from the settings: `Settings.config().rules`)."""

    before: tuple[int, ...]  # days before a deadline
    after: tuple[int, ...]  # days after it
    repeat: int  # then every `repeat` days
    escalate_after: int  # overdue longer than this: staff hear of it
    escalate_weekday: int = 0  # staff's weekly digest of it: Monday (or the next working day)


class Item(NamedTuple):
    """Something a unit still owes: an open task, an all-year task, or a report."""

    unit_id: int
    code: str  # task code, or the report period's code
    title: str
    due: date
    kind: str  # "task", "ongoing", "report"


class Recipient(NamedTuple):
    contact_id: int
    unit_id: int
    name: str
    role: str  # "principal", "staff", "admin"
    channel: str
    chat_id: str
    paused: bool = False  # paused by the person, or a break for everyone


@dataclass
class Snapshot:
    items: list[Item]
    recipients: list[Recipient]
    unit_names: dict[int, str]
    unit_codes: dict[int, str]
    report_dues: list[date]  # periodic report due dates: when all-year progress is asked
    office_units: set[int] = field(default_factory=set)
    previous_escalated: frozenset[tuple[int, str, str]] = frozenset()  # last week's (unit,
    # code, title)
    unreachable: list[int] = field(default_factory=list)  # schools no principal can be reached
    office: str = ""  # the issuer's short name, as digests name it ("Phòng GD&ĐT")
    late_now: frozenset[tuple[int, str, str]] = frozenset()  # set by `plan_digests` on the
    # weekly day: what staff's digest lists as late (next week's `previous_escalated`)
    _by_due: dict[date, list[Item]] | None = None
    _ongoing: list[Item] | None = None

    def grouped(self) -> tuple[dict[date, list[Item]], list[Item]]:
        """Items by due date, and the all-year ones (computed once per snapshot)."""
        if self._by_due is None or self._ongoing is None:
            self._by_due, self._ongoing = {}, []
            for item in self.items:
                self._by_due.setdefault(item.due, []).append(item)
                if item.kind == "ongoing":
                    self._ongoing.append(item)
        return self._by_due, self._ongoing


class Line(NamedTuple):
    item: Item
    days_left: int  # negative: overdue by that many days


@dataclass
class Digest:
    recipient: Recipient
    day: date
    unit_id: int
    soon: list[Line] = field(default_factory=list)
    overdue: list[Line] = field(default_factory=list)
    reports: list[Line] = field(default_factory=list)
    progress: list[Line] = field(default_factory=list)
    escalations: list[tuple[int, list[Line]]] = field(default_factory=list)  # staff only
    escalate_after: int = 0  # the rule's days, shown in the escalation heading
    escalation_new: int = 0  # items late that were not in last week's digest
    escalation_resolved: list[tuple[int, str, str]] = field(default_factory=list)  # done since
    unreachable: list[int] = field(default_factory=list)  # staff: schools not reachable

    def add(self, line: Line) -> None:
        """File a line under its heading: a report owed, an all-year task's progress (before
        its year-end deadline), due soon, or overdue."""
        if line.item.kind == "report":
            self.reports.append(line)
        elif line.item.kind == "ongoing" and line.days_left > 0:
            self.progress.append(line)
        elif line.days_left >= 0:
            self.soon.append(line)
        else:
            self.overdue.append(line)

    @property
    def codes(self) -> list[str]:
        return [ln.item.code for ln in self.soon + self.overdue + self.progress]

    @property
    def empty(self) -> bool:
        return not (self.soon or self.overdue or self.reports or self.progress
                    or self.escalations or self.escalation_resolved)


@lru_cache(maxsize=65536)
def trigger_days(due: date, rules: Rules) -> tuple[tuple[date, ...], tuple[date, ...]]:
    """(reminder days before or on *due*, the first overdue days — the weekly repeats
    continue past the last one: see `is_overdue_day`)."""
    before = tuple(sorted({workday_on_or_before(due - timedelta(k)) for k in rules.before}))
    after = tuple(sorted({workday_on_or_after(due + timedelta(k)) for k in rules.after}))
    return before, after


def _hit(days: Iterable[date], since: date, today: date) -> bool:
    return any(since < d <= today for d in days)


@lru_cache(maxsize=65536)
def is_reminder_day(due: date, since: date, today: date, rules: Rules) -> bool:
    before, after = trigger_days(due, rules)
    if _hit(before, since, today) or _hit(after, since, today):
        return True
    last = max(rules.after) if rules.after else 0
    first_weekly = due + timedelta(last + rules.repeat)
    if today < first_weekly:
        return False
    # weekly notices: nominal days first_weekly + n*repeat, moved to the next working day
    n_low = max(0, ((since - first_weekly).days - 7) // rules.repeat)
    n = n_low
    while True:
        nominal = first_weekly + timedelta(n * rules.repeat)
        if nominal > today:
            return False
        if since < workday_on_or_after(nominal) <= today:
            return True
        n += 1


def plan_digests(snap: Snapshot, today: date, since: date, rules: Rules) -> list[Digest]:
    """The digests to send on working day *today*, covering what fell due in (since,
    today]. One digest per recipient; empty ones are left out."""
    report_day = any(is_reminder_day(d, since, today, rules) and d >= today
                     for d in snap.report_dues)
    by_due, ongoing = snap.grouped()
    progress_of: dict[int, list[Line]] = {}  # all-year tasks, before their deadline
    due_of: dict[int, list[Line]] = {}
    if report_day:
        for item in ongoing:
            left = (item.due - today).days
            if left > 0:
                progress_of.setdefault(item.unit_id, []).append(Line(item, left))
    for due in sorted(by_due):  # each school's lines come out oldest deadline first
        left = (due - today).days
        if not is_reminder_day(due, since, today, rules):
            continue
        for item in by_due[due]:
            if item.kind == "ongoing" and left > 0:
                continue  # all-year: asked before reports, not nagged
            due_of.setdefault(item.unit_id, []).append(Line(item, left))

    escalations = weekly_escalations(snap, today, since, rules)
    new, resolved = 0, []
    if is_escalation_day(since, today, rules):  # the week's changes: only in its digest
        snap.late_now = escalated(escalations)
        came = snap.late_now - snap.previous_escalated
        gone = snap.previous_escalated - snap.late_now
        came_keys = {(u, c) for u, c, _ in came}  # a task renamed meanwhile is neither
        new = len(came_keys - {(u, c) for u, c, _ in gone})
        resolved = sorted(x for x in gone if (x[0], x[1]) not in came_keys)

    digests: dict[int, Digest] = {}
    weekly = bool(escalations or resolved)
    for r in snap.recipients:
        lines = [] if r.paused else [*due_of.get(r.unit_id, ()), *progress_of.get(r.unit_id, ())]
        staff_weekly = weekly and r.role == "staff"
        if not (lines or staff_weekly):
            continue  # most of a city's principals, on most days
        d = Digest(r, today, r.unit_id, escalate_after=rules.escalate_after)
        for ln in lines:
            d.add(ln)
        if staff_weekly:
            d.escalations = escalations  # escalation reaches staff even during pauses
            d.escalation_new, d.escalation_resolved = new, resolved
            d.unreachable = snap.unreachable
        if not d.empty:
            digests[r.contact_id] = d
    return list(digests.values())


def is_escalation_day(since: date, today: date, rules: Rules) -> bool:
    """Staff's weekly digest of late schools goes out on the set weekday, or on the first
    working day after it when that is a day off (planning covers (since, today])."""
    days = min((today - since).days, 7)
    return any((today - timedelta(k)).weekday() == rules.escalate_weekday
               for k in range(days))


def weekly_escalations(snap: Snapshot, today: date, since: date, rules: Rules
                       ) -> list[tuple[int, list[Line]]]:
    """On the weekly day: every school with anything more than `escalate_after` days late
    (tasks and reports alike), each with all such items, oldest first."""
    if not is_escalation_day(since, today, rules):
        return []
    by_due, _ = snap.grouped()
    late: dict[int, list[Line]] = {}
    for due in sorted(d for d in by_due if (today - d).days > rules.escalate_after):
        overdue = (today - due).days
        for item in sorted(by_due[due], key=lambda i: i.code):  # each school's: oldest first
            if item.unit_id not in snap.office_units:
                late.setdefault(item.unit_id, []).append(Line(item, -overdue))
    return sorted(late.items())


def escalated(escalations: list[tuple[int, list[Line]]]) -> frozenset[tuple[int, str, str]]:
    """(unit, code, title) of every item in a weekly escalation: next week's comparison."""
    return frozenset((u, ln.item.code, ln.item.title) for u, lines in escalations
                     for ln in lines)
