"""Units (the office and its schools), as ORM rows or lean rows."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import String, cast
from sqlmodel import Session, col, select

from storage.models import Unit, UnitKind


def units(session: Session, *, active_only: bool = True) -> list[Unit]:
    query = select(Unit).order_by(col(Unit.code))
    if active_only:
        query = query.where(Unit.active == True)  # noqa: E712
    return list(session.exec(query))


def unit_by_code(session: Session, *, code: str) -> Unit | None:
    return session.exec(select(Unit).where(Unit.code == code.upper())).first()


class UnitRow(NamedTuple):
    """A unit without its ORM object: a city's 10,000 are made for every report."""

    id: int
    code: str
    name: str
    kind: UnitKind


_KINDS = {k.name: k for k in UnitKind}


def unit_rows(session: Session) -> list[UnitRow]:
    """Active units, in code order. The kind is read as its stored name and looked up here:
    SQLAlchemy's enum conversion, row by row, cost as much as the query itself."""
    kinds = _KINDS
    return [UnitRow(i, code, name, kinds[kind]) for i, code, name, kind in
            session.connection().execute(
                select(Unit.id, Unit.code, Unit.name, cast(Unit.kind, String))
                .where(Unit.active == True)  # noqa: E712
                .order_by(col(Unit.code))).all()]  # one fetch, not a fetch per row
