"""Ad-hoc report requests: staff ask every school for a report by a date."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, func, select

from storage.models import PeriodClosure, ReportPeriod, Submission


def add_adhoc_period(session: Session, *, plan_id: int, name: str, due_on: date,
                     request: str, contact_id: int | None, today: date) -> ReportPeriod:
    n = session.exec(select(func.count()).select_from(ReportPeriod).where(
        ReportPeriod.plan_id == plan_id, ReportPeriod.periodic == False)).one()  # noqa: E712
    period = ReportPeriod(plan_id=plan_id, code=f"A{n + 1}", name=name, due_on=due_on,
                          covers_from=today, covers_to=due_on, periodic=False, request=request,
                          created_by=contact_id)
    session.add(period)
    session.flush()
    return period


def periods_of(session: Session, *, plan_id: int) -> list[ReportPeriod]:
    return list(session.exec(select(ReportPeriod).where(ReportPeriod.plan_id == plan_id)
                             .order_by(col(ReportPeriod.due_on), col(ReportPeriod.id))))


def submissions_of(session: Session, *, period_id: int) -> list[Submission]:
    return list(session.exec(select(Submission).where(Submission.period_id == period_id)))


def submitted_pairs(session: Session, *, plan_id: int) -> set[tuple[int, int]]:
    """(period_id, unit_id) of every report submitted for the plan."""
    return set(session.exec(
        select(Submission.period_id, Submission.unit_id)
        .join(ReportPeriod, col(Submission.period_id) == ReportPeriod.id)
        .where(ReportPeriod.plan_id == plan_id)))


def close_period(session: Session, *, period: ReportPeriod, at: datetime,
                 contact_id: int | None = None) -> PeriodClosure:
    """Staff close a period: the schools that have not submitted no longer owe it."""
    found = session.get(PeriodClosure, period.id)
    if found is None:
        found = PeriodClosure(period_id=period.id or 0, closed_at=at, contact_id=contact_id)
        session.add(found)
        session.flush()
    return found


def closures(session: Session, *, plan_id: int) -> dict[int, datetime]:
    """Period id → when staff closed it."""
    rows = session.exec(select(PeriodClosure.period_id, PeriodClosure.closed_at)
                        .join(ReportPeriod, col(PeriodClosure.period_id) == ReportPeriod.id)
                        .where(ReportPeriod.plan_id == plan_id))
    return dict(rows.all())
