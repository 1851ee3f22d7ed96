"""Units (the office and its schools), as ORM rows or lean rows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from storage.models import Unit, UnitKind


def units(session: Session, *, active_only: bool = True) -> list[Unit]:
    query = select(Unit).order_by(col(Unit.code))
    if active_only:
        query = query.where(Unit.active == True)  # noqa: E712
    return list(session.exec(query))


def unit_by_code(session: Session, *, code: str) -> Unit | None:
    return session.exec(select(Unit).where(Unit.code == code.upper())).first()


@dataclass(frozen=True)
class UnitRow:
    id: int
    code: str
    name: str
    kind: UnitKind


def unit_rows(session: Session) -> list[UnitRow]:
    """Active units without ORM objects (thousands of schools)."""
    return [UnitRow(*r) for r in session.connection().execute(
        select(Unit.id, Unit.code, Unit.name, Unit.kind).where(Unit.active == True)  # noqa: E712
        .order_by(col(Unit.code)))]
