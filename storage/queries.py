"""Plain read queries with keyword arguments; the only place reads are spelled in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.models import (
    Area,
    Assignment,
    Contact,
    History,
    Identity,
    Outbox,
    Pause,
    Plan,
    ReportPeriod,
    Role,
    State,
    Submission,
    Task,
    Unit,
    UnitKind,
)
from storage.records import Record


def active_plan(session: Session) -> Plan | None:
    return session.exec(select(Plan).where(Plan.active == True)  # noqa: E712
                        .order_by(col(Plan.id).desc())).first()


def areas_of(session: Session, *, plan_id: int) -> list[Area]:
    return list(session.exec(select(Area).where(Area.plan_id == plan_id)
                             .order_by(col(Area.number))))


def tasks_of(session: Session, *, plan_id: int) -> list[Task]:
    return list(session.exec(select(Task).where(Task.plan_id == plan_id)
                             .order_by(col(Task.position))))


def units(session: Session, *, active_only: bool = True) -> list[Unit]:
    query = select(Unit).order_by(col(Unit.code))
    if active_only:
        query = query.where(Unit.active == True)  # noqa: E712
    return list(session.exec(query))


def unit_by_code(session: Session, *, code: str) -> Unit | None:
    return session.exec(select(Unit).where(Unit.code == code.upper())).first()


def contacts(session: Session) -> list[tuple[Contact, Unit]]:
    rows = session.exec(select(Contact, Unit).join(Unit, col(Contact.unit_id) == Unit.id)
                        .order_by(col(Unit.code), col(Contact.role), col(Contact.name)))
    return list(rows)


def contact_by_phone(session: Session, *, phone: str) -> Contact | None:
    return session.exec(select(Contact).where(Contact.phone == phone)).first()


def contact_by_identity(session: Session, *, channel: str, chat_id: str) -> Contact | None:
    return session.exec(select(Contact).join(Identity, col(Identity.contact_id) == Contact.id)
                        .where(Identity.channel == channel, Identity.chat_id == chat_id)).first()


def identities_of(session: Session, *, contact_id: int) -> list[Identity]:
    return list(session.exec(select(Identity).where(Identity.contact_id == contact_id)
                             .order_by(col(Identity.channel))))


def contacts_of_unit(session: Session, *, unit_id: int, role: Role | None = None
                     ) -> list[Contact]:
    query = select(Contact).where(Contact.unit_id == unit_id)
    if role is not None:
        query = query.where(Contact.role == role)
    return list(session.exec(query.order_by(col(Contact.id))))


class Status(NamedTuple):
    """One assignment with everything a reader needs to show it (a tuple: a city's report
    holds a quarter of a million of them)."""

    assignment: Record
    task: Task
    unit: Unit | UnitRow


def _record(a: Assignment, t: Task) -> Record:
    return Record(a.id or 0, t.id or 0, t.code, t.position, t.due_on, a.state, a.percent,
                  a.note, a.evidence, a.completed_at, a.completed_on, a.updated_at, a.updated_by)


def statuses(session: Session, *, plan_id: int, unit_id: int | None = None) -> list[Status]:
    query = (select(Assignment, Task, Unit)
             .join(Task, col(Assignment.task_id) == Task.id)
             .join(Unit, col(Assignment.unit_id) == Unit.id)
             .where(Task.plan_id == plan_id, Unit.active == True)  # noqa: E712
             .order_by(col(Unit.code), col(Task.position)))
    if unit_id is not None:
        query = query.where(Assignment.unit_id == unit_id)
    # records may have been written by plain statements earlier in this transaction
    query = query.execution_options(populate_existing=True)
    return [Status(_record(a, t), t, u) for a, t, u in session.exec(query)]


def status_rows(session: Session, *, plan_id: int) -> list[Status]:
    """Like `statuses`, lean: one plain query, units as `UnitRow`, the plan's tasks once."""
    tasks = {t.id: t for t in session.exec(select(Task).where(Task.plan_id == plan_id))}
    unit_map = {u.id: u for u in unit_rows(session)}
    columns: tuple[Any, ...] = (
        Assignment.task_id, Assignment.unit_id, Assignment.id, Assignment.state,
        Assignment.percent, Assignment.note, Assignment.evidence, Assignment.completed_at,
        Assignment.completed_on, Assignment.updated_at, Assignment.updated_by)
    query = (sa_select(*columns)
             .join(Task, col(Assignment.task_id) == Task.id)
             .where(col(Task.plan_id) == plan_id)
             .order_by(col(Assignment.unit_id), col(Task.position)))
    out = []
    for task_id, unit_id, *record in session.connection().execute(query):
        unit = unit_map.get(unit_id)
        if unit is not None:
            t = tasks[task_id]
            out.append(Status(Record(record[0], task_id, t.code, t.position, t.due_on,
                                     *record[1:]), t, unit))
    out.sort(key=lambda s: (s.unit.code, s.task.position))
    return out


def periods_of(session: Session, *, plan_id: int) -> list[ReportPeriod]:
    return list(session.exec(select(ReportPeriod).where(ReportPeriod.plan_id == plan_id)
                             .order_by(col(ReportPeriod.due_on), col(ReportPeriod.id))))


def submissions_of(session: Session, *, period_id: int) -> list[Submission]:
    return list(session.exec(select(Submission).where(Submission.period_id == period_id)))


def contact_names(session: Session) -> dict[int, str]:
    return {c.id or 0: c.name for c in session.exec(select(Contact))}


def outbox_by_message(session: Session, *, channel: str, chat_id: str, message_id: str
                      ) -> Outbox | None:
    """The pushed message a person replies to (by the channel's message id)."""
    return session.exec(select(Outbox).where(Outbox.channel == channel,
                                             Outbox.chat_id == chat_id,
                                             Outbox.message_id == message_id)).first()


def recent_history(session: Session, *, contact_id: int, since: datetime) -> list[History]:
    return list(session.exec(select(History).where(History.contact_id == contact_id,
                                                   History.at >= since)
                             .order_by(col(History.id).desc())))


def open_assignments(session: Session, *, plan_id: int, task_ids: list[int] | None = None
                     ) -> list[tuple[int, int]]:
    """(unit_id, task_id) of every assignment not done, of active units — plain integers,
    since a city has hundreds of thousands of them."""
    query = (select(Assignment.unit_id, Assignment.task_id)
             .join(Task, col(Assignment.task_id) == Task.id)
             .join(Unit, col(Assignment.unit_id) == Unit.id)
             .where(Task.plan_id == plan_id, Assignment.state != State.DONE,
                    Unit.active == True)  # noqa: E712
             .order_by(col(Assignment.unit_id), col(Task.position)))
    if task_ids is not None:
        if not task_ids:
            return []
        query = query.where(col(Task.id).in_(task_ids))
    return session.connection().execute(query).fetchall()  # type: ignore[return-value]


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


class Reachable(NamedTuple):
    """A linked contact and the chat that reaches them."""

    contact_id: int
    name: str
    role: Role
    unit_id: int
    unit_kind: UnitKind
    channel: str
    chat_id: str


REACHABLE: tuple[Any, ...] = (Contact.id, Contact.name, Contact.role, Contact.unit_id,
                              Unit.kind, Identity.channel, Identity.chat_id)


def reachable(session: Session) -> list[Reachable]:
    """Every contact of an active unit with a linked chat, once, by their newest identity
    (one person, one message), in contact order."""
    rows = session.connection().execute(
        sa_select(*REACHABLE)
        .join(Unit, col(Contact.unit_id) == Unit.id)
        .join(Identity, col(Identity.contact_id) == Contact.id)
        .where(col(Unit.active) == True)  # noqa: E712
        .order_by(col(Contact.id), col(Identity.linked_at).desc(), col(Identity.id).desc()))
    out: list[Reachable] = []
    for row in rows:
        if not out or out[-1].contact_id != row[0]:
            out.append(Reachable(*row))
    return out


def submitted_pairs(session: Session, *, plan_id: int) -> set[tuple[int, int]]:
    """(period_id, unit_id) of every report submitted for the plan."""
    return set(session.exec(
        select(Submission.period_id, Submission.unit_id)
        .join(ReportPeriod, col(Submission.period_id) == ReportPeriod.id)
        .where(ReportPeriod.plan_id == plan_id)))


def pauses_on(session: Session, *, day: date) -> list[Pause]:
    return list(session.exec(select(Pause).where(Pause.starts_on <= day, Pause.ends_on >= day)))
