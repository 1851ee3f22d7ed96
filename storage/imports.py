"""Writing a checked plan or roster into the database: in place, keeping every record."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, insert, update
from sqlmodel import Session, col, select

from storage.files.plan import PlanSpec
from storage.files.roster import UnitSpec
from storage.files.unitkinds import kinds_for
from storage.models import (
    Area,
    Assignment,
    Contact,
    History,
    Identity,
    Invite,
    Plan,
    ReportPeriod,
    Task,
    Unit,
    utcnow,
)


@dataclass
class ImportSummary:
    plan: Plan | None = None
    tasks_added: int = 0
    tasks_updated: int = 0
    tasks_removed: int = 0
    units_added: int = 0
    units_updated: int = 0
    contacts: int = 0
    assignments_added: int = 0
    assignments_removed: int = 0
    contacts_revoked: int = 0  # people gone from a re-imported roster, their links revoked


def _has_history(session: Session, assignment_ids: list[int]) -> bool:
    if not assignment_ids:
        return False
    found = session.exec(
        select(History.id).where(col(History.assignment_id).in_(assignment_ids)).limit(1)
    ).first()
    return found is not None


def save_plan(session: Session, spec: PlanSpec) -> ImportSummary:
    """Create the plan or update it in place (matched by number and year). Tasks keep
    their assignments and records; a task gone from the file is removed only if no school
    has recorded anything on it."""
    summary = ImportSummary()
    plan = session.exec(
        select(Plan).where(Plan.number == spec.number, Plan.year == spec.year)
    ).first() or Plan(number=spec.number, year=spec.year, issuer=spec.issuer, title=spec.title)
    for name in ("issuer", "superior", "title", "issued_on", "place", "signer_title",
                 "signer_name", "recipients", "targets"):
        setattr(plan, name, getattr(spec, name))
    for other in session.exec(select(Plan).where(Plan.active == True)):  # noqa: E712
        other.active = False
    plan.active = True
    session.add(plan)
    session.flush()
    assert plan.id is not None
    summary.plan = plan

    areas = {a.number: a for a in session.exec(select(Area).where(Area.plan_id == plan.id))}
    tasks = {t.code: t for t in session.exec(select(Task).where(Task.plan_id == plan.id))}
    position = 0
    for area_spec in spec.areas:
        area = areas.get(area_spec.number) or Area(plan_id=plan.id, number=area_spec.number,
                                                   title=area_spec.title)
        area.title = area_spec.title
        session.add(area)
        session.flush()
        for t in area_spec.tasks:
            position += 1
            task = tasks.pop(t.code, None)
            if task is None:
                summary.tasks_added += 1
                task = Task(plan_id=plan.id, area_id=area.id or 0, code=t.code, content="",
                            units_text="", deadline_text="", due_on=t.due.end)
            else:
                summary.tasks_updated += 1
            task.area_id, task.position = area.id or 0, position
            task.content, task.units_text, task.product = t.content, t.units_text, t.product
            task.deadline_text, task.notes = t.deadline_text, t.notes
            task.due_kind, task.due_start, task.due_on = t.due.kind, t.due.start, t.due.end
            session.add(task)
    for gone in tasks.values():
        assignments = session.exec(select(Assignment).where(Assignment.task_id == gone.id)).all()
        if _has_history(session, [a.id for a in assignments if a.id]):
            continue
        for a in assignments:
            session.delete(a)
        session.flush()
        session.delete(gone)
        summary.tasks_removed += 1
    session.flush()
    for area in areas.values():
        if area.number not in {a.number for a in spec.areas} and not session.exec(
                select(Task.id).where(Task.area_id == area.id)).first():
            session.delete(area)

    periods = {p.code: p for p in session.exec(
        select(ReportPeriod).where(ReportPeriod.plan_id == plan.id, ReportPeriod.periodic))}
    for p in spec.reports:
        period = periods.get(p.code) or ReportPeriod(plan_id=plan.id, code=p.code, name=p.name,
                                                     due_on=p.due_on, covers_from=p.covers_from,
                                                     covers_to=p.covers_to)
        period.name, period.due_on = p.name, p.due_on
        period.covers_from, period.covers_to = p.covers_from, p.covers_to
        session.add(period)
    session.flush()
    added, removed = fan_out(session, plan)
    summary.assignments_added, summary.assignments_removed = added, removed
    return summary


def fan_out(session: Session, plan: Plan) -> tuple[int, int]:
    """Give every task to each active unit of the kinds its "Đơn vị thực hiện" names
    (bulk statements: a city has thousands of schools)."""
    session.flush()
    units = session.exec(select(Unit.id, Unit.kind).where(Unit.active == True)).all()  # noqa: E712
    tasks = session.exec(select(Task.id, Task.units_text).where(Task.plan_id == plan.id)).all()
    have = {(t, u): a for a, t, u in session.exec(
        select(Assignment.id, Assignment.task_id, Assignment.unit_id)
        .join(Task, col(Assignment.task_id) == Task.id).where(Task.plan_id == plan.id))}
    wanted = {(task_id, unit_id) for task_id, units_text in tasks
              for kinds in [kinds_for(units_text)] for unit_id, kind in units if kind in kinds}
    missing = sorted(wanted - have.keys())
    connection = session.connection()
    for chunk in range(0, len(missing), 5000):  # rows built a chunk at a time: memory
        connection.execute(insert(Assignment), [{"task_id": t, "unit_id": u}
                                                for t, u in missing[chunk:chunk + 5000]])
    gone = [a for key, a in have.items() if key not in wanted]
    with_history = set(session.exec(select(History.assignment_id).where(
        col(History.assignment_id).in_(gone)))) if gone else set()
    removable = [a for a in gone if a not in with_history]
    if removable:
        connection.execute(delete(Assignment).where(col(Assignment.id).in_(removable)))
    return len(missing), len(removable)


CHUNK = 5000  # rows a statement: a city-sized roster is written in bulk, never as objects


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start:start + CHUNK]


def save_units(session: Session, specs: list[UnitSpec]) -> ImportSummary:
    """Add or update units (by code) and their contacts (by phone, else by name), in bulk
    statements on plain rows (100,000 contacts must not become 100,000 ORM objects); all of
    it in the caller's one transaction."""
    summary = ImportSummary()
    connection = session.connection()
    unit_ids: dict[str, int] = {code: uid for code, uid in session.exec(
        select(Unit.code, Unit.id)) if uid is not None}
    added = [{"code": u.code, "name": u.name, "kind": u.kind, "ward": u.ward, "active": True}
             for u in specs if u.code not in unit_ids]
    changed = [{"b_id": unit_ids[u.code], "b_name": u.name, "b_kind": u.kind,
                "b_ward": u.ward} for u in specs if u.code in unit_ids]
    summary.units_added, summary.units_updated = len(added), len(changed)
    for rows in _chunks(added):
        connection.execute(insert(Unit), rows)
    for rows in _chunks(changed):
        connection.execute(update(Unit).where(col(Unit.id) == bindparam("b_id")).values(
            name=bindparam("b_name"), kind=bindparam("b_kind"), ward=bindparam("b_ward"),
            active=True), rows)
    if added:
        unit_ids = {code: uid for code, uid in session.exec(select(Unit.code, Unit.id))
                    if uid is not None}

    by_phone: dict[str, int] = {}
    by_name: dict[tuple[int, str], int] = {}
    for cid, phone, unit_id, name in session.exec(
            select(Contact.id, Contact.phone, Contact.unit_id, Contact.name)):
        if phone:
            by_phone[phone] = cid or 0
        by_name[(unit_id, name)] = cid or 0
    new: dict[tuple[int, str], dict[str, Any]] = {}  # (unit id, name) → row to insert
    changes: dict[int, dict[str, Any]] = {}
    links: list[tuple[int | tuple[int, str], str, str]] = []
    for spec in specs:
        unit_id = unit_ids[spec.code]
        for c in spec.contacts:
            summary.contacts += 1
            found = (by_phone.get(c.phone) if c.phone else None) or \
                by_name.get((unit_id, c.name))
            row = {"name": c.name, "role": c.role, "unit_id": unit_id, "phone": c.phone}
            key: int | tuple[int, str]
            if found is None:
                key = (unit_id, c.name)
                new[key] = row
            else:
                key = found
                changes[found] = {"b_id": found, "b_name": c.name, "b_role": c.role,
                                  "b_unit": unit_id, "b_phone": c.phone}
            links += [(key, ch, chat) for ch, chat in (("telegram", c.telegram),
                                                       ("zalo", c.zalo)) if chat]
    for rows in _chunks(list(new.values())):
        connection.execute(insert(Contact), rows)
    for rows in _chunks(list(changes.values())):
        connection.execute(update(Contact).where(col(Contact.id) == bindparam("b_id")).values(
            name=bindparam("b_name"), role=bindparam("b_role"), unit_id=bindparam("b_unit"),
            phone=bindparam("b_phone")), rows)
    kept = set(changes)
    if new:
        touched = sorted({unit_id for unit_id, _ in new})
        for part in range(0, len(touched), 500):
            for cid, unit_id, name in session.exec(
                    select(Contact.id, Contact.unit_id, Contact.name).where(
                        col(Contact.unit_id).in_(touched[part:part + 500]))):
                if (unit_id, name) in new:
                    by_name[(unit_id, name)] = cid or 0
                    kept.add(cid or 0)
    for key, channel, chat_id in links:
        contact_id = key if isinstance(key, int) else by_name[key]
        link_identity(session, contact_id=contact_id, channel=channel, chat_id=chat_id)
    summary.contacts_revoked = revoke_replaced(
        session, unit_ids=[unit_ids[s.code] for s in specs if s.contacts], kept=kept)
    for plan in session.exec(select(Plan)):
        added_n, removed = fan_out(session, plan)
        summary.assignments_added += added_n
        summary.assignments_removed += removed
    return summary


def revoke_replaced(session: Session, *, unit_ids: list[int], kept: set[int]) -> int:
    """People of the re-imported units who are no longer in the roster lose their chat
    links (their history stays): a replaced principal can no longer write as the school."""
    if not unit_ids:
        return 0
    gone = [c for c in session.exec(select(Contact.id).where(
        col(Contact.unit_id).in_(unit_ids))) if c not in kept]
    if not gone:
        return 0
    revoked = 0
    for chunk in range(0, len(gone), 500):
        part = gone[chunk:chunk + 500]
        revoked += len(list(session.exec(select(Identity.id).where(
            col(Identity.contact_id).in_(part)))))
        session.connection().execute(delete(Identity).where(
            col(Identity.contact_id).in_(part)))
        session.connection().execute(update(Invite).where(
            col(Invite.contact_id).in_(part), col(Invite.used_at).is_(None))
            .values(expires_at=utcnow()))
    return revoked


def link_identity(session: Session, *, contact_id: int, channel: str, chat_id: str) -> Identity:
    """Link a chat identity to a contact (moving it if it belonged to someone else)."""
    identity = session.exec(select(Identity).where(
        Identity.channel == channel, Identity.chat_id == chat_id)).first()
    if identity is None:
        identity = Identity(contact_id=contact_id, channel=channel, chat_id=chat_id)
    identity.contact_id = contact_id
    session.add(identity)
    session.flush()
    return identity
