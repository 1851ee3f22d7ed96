"""Ad-hoc report requests: staff ask every school for a report by a date."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, func, select

from storage.models import ReportPeriod


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
