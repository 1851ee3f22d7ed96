"""Who cannot be reached over chat: schools whose principal has not linked a chat, and
people whose last pushed message failed (blocked the bot, deleted the chat, …)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from storage.contacts import reachable
from storage.models import Contact, Outbox, OutboxState, Role, Unit, UnitKind


@dataclass(frozen=True)
class Unreachable:
    unit_id: int
    unit_code: str
    unit_name: str
    unit_kind: UnitKind
    reason: str  # "not_linked" or "failed"


def unreachable_schools(session: Session) -> list[Unreachable]:
    """Active schools no principal can be reached at, in code order."""
    linked = {r.unit_id for r in reachable(session) if r.role == Role.PRINCIPAL}
    schools = session.connection().execute(
        sa_select(col(Unit.id), col(Unit.code), col(Unit.name), col(Unit.kind))
        .where(col(Unit.active) == True, col(Unit.kind) != UnitKind.OFFICE)  # noqa: E712
        .order_by(col(Unit.code))).all()
    last: dict[int, OutboxState] = {}
    for unit_id, state in session.connection().execute(
            sa_select(col(Contact.unit_id), col(Outbox.state))
            .join(Contact, col(Outbox.contact_id) == Contact.id)
            .where(col(Contact.role) == Role.PRINCIPAL)
            .order_by(col(Outbox.id))):
        last[unit_id] = state
    out: list[Unreachable] = []
    for row in schools:
        unit_id, code, name, kind = int(row[0] or 0), str(row[1]), str(row[2]), UnitKind(row[3])
        if unit_id not in linked:
            out.append(Unreachable(unit_id, code, name, kind, "not_linked"))
        elif last.get(unit_id) == OutboxState.FAILED:
            out.append(Unreachable(unit_id, code, name, kind, "failed"))
    return out
