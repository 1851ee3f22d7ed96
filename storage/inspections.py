"""Inspections of schools by the office (plan target: at least 30% of schools a year)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from storage.models import Inspection


def add_inspection(session: Session, *, plan_id: int, unit_id: int, on: date,
                   contact_id: int | None, note: str = "") -> Inspection:
    row = Inspection(plan_id=plan_id, unit_id=unit_id, on=on, contact_id=contact_id, note=note)
    session.add(row)
    session.flush()
    return row


def inspected_units(session: Session, *, plan_id: int, until: date) -> set[int]:
    return set(session.exec(select(Inspection.unit_id).where(Inspection.plan_id == plan_id,
                                                             Inspection.on <= until)))
