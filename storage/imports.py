"""Writing a checked plan or roster into the database: in place, keeping every record."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, insert
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
    Plan,
    ReportPeriod,
    Task,
    Unit,
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
    missing = [{"task_id": t, "unit_id": u} for t, u in sorted(wanted - have.keys())]
    connection = session.connection()
    for chunk in range(0, len(missing), 5000):
        connection.execute(insert(Assignment), missing[chunk:chunk + 5000])
    gone = [a for key, a in have.items() if key not in wanted]
    with_history = set(session.exec(select(History.assignment_id).where(
        col(History.assignment_id).in_(gone)))) if gone else set()
    removable = [a for a in gone if a not in with_history]
    if removable:
        connection.execute(delete(Assignment).where(col(Assignment.id).in_(removable)))
    return len(missing), len(removable)


def save_units(session: Session, specs: list[UnitSpec]) -> ImportSummary:
    """Add or update units (by code) and their contacts (by phone, else by name)."""
    summary = ImportSummary()
    units = {u.code: u for u in session.exec(select(Unit))}
    for spec in specs:
        unit = units.get(spec.code)
        if unit is None:
            unit = units[spec.code] = Unit(code=spec.code, name=spec.name, kind=spec.kind)
            summary.units_added += 1
        else:
            summary.units_updated += 1
        unit.name, unit.kind, unit.ward, unit.active = spec.name, spec.kind, spec.ward, True
        session.add(unit)
    session.flush()
    by_phone = {c.phone: c for c in session.exec(select(Contact)) if c.phone}
    by_name = {(c.unit_id, c.name): c for c in session.exec(select(Contact))}
    links: list[tuple[Contact, str, str]] = []
    for spec in specs:
        unit = units[spec.code]
        for c in spec.contacts:
            contact = (by_phone.get(c.phone) if c.phone else None) or \
                by_name.get((unit.id or 0, c.name)) or \
                Contact(name=c.name, role=c.role, unit_id=unit.id or 0)
            contact.name, contact.role, contact.unit_id = c.name, c.role, unit.id or 0
            contact.phone = c.phone
            session.add(contact)
            by_name[(unit.id or 0, c.name)] = contact
            summary.contacts += 1
            links += [(contact, ch, chat) for ch, chat in (("telegram", c.telegram),
                                                           ("zalo", c.zalo)) if chat]
    session.flush()
    for contact, channel, chat_id in links:
        link_identity(session, contact_id=contact.id or 0, channel=channel, chat_id=chat_id)
    for plan in session.exec(select(Plan)):
        added, removed = fan_out(session, plan)
        summary.assignments_added += added
        summary.assignments_removed += removed
    return summary


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
