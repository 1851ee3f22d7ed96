"""`/baocao` by day: the snapshot as of the end of a day (the CLI, the demo, the benchmarks).
The snapshot itself is built in `snapshot`; its words are in `texts`."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from handlers.config import Config
from handlers.reports.query import Query
from handlers.reports.snapshot import Snapshot, end_of_day, snapshot
from storage.models import Plan, ReportPeriod

Summary = Snapshot  # the name callers used before the snapshot


def build_summary(session: Session, plan: Plan, today: date, config: Config,
                  q: Query | None = None) -> Snapshot:
    """The snapshot as of the end of *today*."""
    return snapshot(session, q, end_of_day(today, config.tz), plan)


def current_period(periods: list[ReportPeriod], today: date) -> ReportPeriod | None:
    """The report owed now: the first one not yet past due, else the latest (the web
    board's default period)."""
    upcoming = [p for p in periods if p.due_on >= today]
    return upcoming[0] if upcoming else (periods[-1] if periods else None)
