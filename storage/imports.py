"""Writing a checked plan or roster into the database: in place, keeping every record."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Column,
    MetaData,
    Table,
    bindparam,
    delete,
    func,
    insert,
    text,
    update,
)
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.assign import (
    FanOut,
    apply_fan_out,
    fan_out,
    keep_aliases,
    load_roster,
    plan_fan_out,
    resolve_plan,
)
from storage.files.errors import ImportFileError
from storage.files.plan import PlanSpec
from storage.files.roster import UnitSpec
from storage.issuer import IssuerProfile, profile_of, short_name
from storage.models import (
    Area,
    Assignment,
    Contact,
    History,
    Identity,
    Invite,
    Partner,
    Plan,
    ReportPeriod,
    Role,
    Task,
    Unit,
    utcnow,
)
from storage.unitphrases import Roster, RosterUnit, Unresolved


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


class UnresolvedError(ImportFileError):
    """Unit phrases of the plan that name no unit, group or alias: all of them at once."""

    def __init__(self, file: str, unresolved: list[Unresolved]) -> None:
        self.unresolved = unresolved
        listed = "; ".join(
            f"{u.where} “{u.phrase}”" + (f" (gần nhất: {', '.join(u.nearest)})"
                                         if u.nearest else "") for u in unresolved)
        super().__init__(file, f"chưa xác định được đơn vị của {len(unresolved)} cụm từ: "
                               f"{listed}. Hãy thêm nhóm hoặc tên gọi khác vào danh sách "
                               "đơn vị, hoặc nạp lại với --map TỆP.yaml (mỗi dòng: cụm từ: "
                               "[mã đơn vị hoặc nhóm], [] nếu không giao cho đơn vị nào)")


def save_plan(session: Session, spec: PlanSpec,
              mapping: dict[str, list[str]] | None = None) -> ImportSummary:
    """Create the plan or update it in place (matched by number and year). Tasks keep
    their assignments and records; a task gone from the file is removed only if no school
    has recorded anything on it. Every unit phrase must name units of the roster, a
    group, a kept alias or an entry of *mapping* (kept for the next import); otherwise
    nothing is written and `UnresolvedError` lists them all."""
    if not spec.issuer_short:
        spec.issuer_short = short_name(spec.issuer)
    resolution = resolve_plan(spec, load_roster(session, profile_of(spec), mapping))
    if resolution.unresolved:
        raise UnresolvedError(spec.file or spec.number, resolution.unresolved)
    if mapping:
        keep_aliases(session, mapping)
    summary = ImportSummary()
    plan = session.exec(
        select(Plan).where(Plan.number == spec.number, Plan.year == spec.year)
    ).first() or Plan(number=spec.number, year=spec.year, issuer=spec.issuer, title=spec.title)
    for name in ("issuer", "issuer_short", "superior", "title", "issued_on", "place",
                 "signer_title", "signer_name", "recipients", "targets"):
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
            task.partners_text = t.partners_text
            task.lead, task.partners = resolution.lead[t.code], resolution.partners[t.code]
            task.due_kind, task.due_start, task.due_on = t.due.kind, t.due.start, t.due.end
            session.add(task)
    for gone in tasks.values():
        assignments = session.exec(select(Assignment).where(Assignment.task_id == gone.id)).all()
        if _has_history(session, [a.id for a in assignments if a.id]):
            continue
        for a in assignments:
            session.delete(a)
        for partner in session.exec(select(Partner).where(Partner.task_id == gone.id)):
            session.delete(partner)
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


CHUNK = 5000  # rows a statement: a city-sized roster is written in bulk, never as objects


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start:start + CHUNK]


STAGE_ABOVE = 2000  # rows: more are staged in a temporary table before the write lock


def _stage(session: Session, table: Table, names: tuple[str, ...],
           rows: list[tuple[Any, ...]]) -> bool:
    """On SQLite, copy a large row set (*names* are its columns) into a TEMP table of this
    connection (a separate database file: no lock on the main one), to be moved in by one
    INSERT … SELECT under the write lock. PostgreSQL needs none (MVCC: the service's writes
    do not wait for ours)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite" or len(rows) <= STAGE_ABOVE:
        return False
    stage = _stage_table(table, names)
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{stage.name}")
    stage.create(connection)
    for start in range(0, len(rows), CHUNK):
        connection.execute(insert(stage), [dict(zip(names, row, strict=True))
                                           for row in rows[start:start + CHUNK]])
    return True


def _stage_table(table: Table, names: tuple[str, ...]) -> Table:
    return Table(f"stage_{table.name}", MetaData(),
                 *(Column(n, table.c[n].type) for n in names), prefixes=["TEMP"])


def _insert(session: Session, table: Table, names: tuple[str, ...],
            rows: list[tuple[Any, ...]], staged: bool) -> None:
    """Insert the rows, from their stage if they were staged (column defaults filled in)."""
    connection = session.connection()
    if not staged:
        for start in range(0, len(rows), CHUNK):
            connection.execute(insert(table), [dict(zip(names, row, strict=True))
                                               for row in rows[start:start + CHUNK]])
        return
    stage = _stage_table(table, names)
    connection.execute(insert(table).from_select(list(names), select(*stage.c)))
    connection.exec_driver_sql(f"DROP TABLE temp.{stage.name}")


class RosterChangedError(ImportFileError):
    """The database changed while the import was being prepared: nothing was written."""

    def __init__(self, file: str) -> None:
        super().__init__(file, "danh sách đơn vị hoặc người liên hệ vừa được thay đổi trong "
                               "lúc chuẩn bị nạp; hãy nạp lại")


@dataclass
class _Prepared:
    """Every row a roster import writes, worked out by reads alone."""

    seen: tuple[int, ...]  # the database's state the rows were worked out from
    units_added: list[tuple[Any, ...]] = field(default_factory=list)  # UNIT_COLUMNS
    units_changed: list[dict[str, Any]] = field(default_factory=list)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    contacts_added: list[tuple[Any, ...]] = field(default_factory=list)  # CONTACT_COLUMNS
    contacts_changed: list[dict[str, Any]] = field(default_factory=list)
    identities_added: list[dict[str, Any]] = field(default_factory=list)
    identities_moved: list[dict[str, Any]] = field(default_factory=list)
    revoked: list[int] = field(default_factory=list)  # contact ids losing their links
    fan_outs: list[FanOut] = field(default_factory=list)
    assignments: list[tuple[int, int]] = field(default_factory=list)  # of every plan
    partners: list[tuple[int, int]] = field(default_factory=list)
    staged: set[str] = field(default_factory=set)  # tables whose new rows are staged


UNIT_COLUMNS = ("id", "code", "name", "kind", "ward", "active", "groups")
CONTACT_COLUMNS = ("id", "name", "role", "unit_id", "phone")
PAIR = ("task_id", "unit_id")


def _added(todo: _Prepared) -> list[tuple[Table, tuple[str, ...], list[Any]]]:
    """The new rows of each table, in the order they are written."""
    return [(Unit.__table__, UNIT_COLUMNS, todo.units_added),  # type: ignore[attr-defined]
            (Contact.__table__, CONTACT_COLUMNS,  # type: ignore[attr-defined]
             todo.contacts_added),
            (Assignment.__table__, PAIR, todo.assignments),  # type: ignore[attr-defined]
            (Partner.__table__, PAIR, todo.partners)]  # type: ignore[attr-defined]


def _state(session: Session) -> tuple[int, ...]:
    """Counts and highest ids of the tables an import reads: a change shows in them."""
    seen: list[int] = []
    for table in (Unit, Contact, Identity, Assignment, Task):
        count, top = session.exec(select(func.count(), func.max(table.id))).one()
        seen += [count or 0, top or 0]
    return tuple(seen)


def _reserve(session: Session, table: str, n: int) -> list[int]:
    """*n* fresh ids of *table*: from its sequence on PostgreSQL; on SQLite after the highest
    one (the state check under the write lock catches another writer taking them)."""
    if n == 0:
        return []
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return [i for (i,) in connection.execute(text(
            "SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table, "n": n})]
    top = connection.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar_one()
    return list(range(top + 1, top + 1 + n))


def _prepare(session: Session, specs: list[UnitSpec]) -> tuple[_Prepared, ImportSummary]:
    summary = ImportSummary()
    todo = _Prepared(seen=_state(session))
    units = {u.code: u for u in session.exec(select(Unit))}
    fresh = [u for u in specs if u.code not in units]
    unit_ids = {code: u.id or 0 for code, u in units.items()}
    unit_ids.update(zip((u.code for u in fresh), _reserve(session, "unit", len(fresh)),
                        strict=True))
    todo.units_added = [(unit_ids[u.code], u.code, u.name, u.kind, u.ward, True,
                         list(u.groups)) for u in fresh]
    old = [(units[u.code], u) for u in specs if u.code in units]
    todo.units_changed = [{"b_id": unit_ids[u.code], "b_name": u.name, "b_kind": u.kind,
                           "b_ward": u.ward, "b_groups": list(u.groups)} for was, u in old
                          if (was.name, was.kind, was.ward, was.active, list(was.groups or ()))
                          != (u.name, u.kind, u.ward, True, list(u.groups))]  # else unchanged
    summary.units_added, summary.units_updated = len(todo.units_added), len(old)
    todo.aliases = {a: [s.code] for s in specs for a in s.aliases}

    by_phone: dict[str, int] = {}
    by_name: dict[tuple[int, str], int] = {}
    contact_units: list[tuple[int, int]] = []
    stored: dict[int, tuple[str, Role, int, str]] = {}
    for cid, phone, unit_id, name, role in session.connection().execute(sa_select(
            col(Contact.id), col(Contact.phone), col(Contact.unit_id), col(Contact.name),
            col(Contact.role))):
        if phone:
            by_phone[phone] = cid or 0
        by_name[(unit_id, name)] = cid or 0
        contact_units.append((cid or 0, unit_id))
        stored[cid or 0] = (name, role, unit_id, phone)
    new: dict[tuple[int, str], tuple[str, Role, int, str]] = {}  # (unit id, name) → row
    same: set[int] = set()  # found and unchanged
    changes: dict[int, dict[str, Any]] = {}
    links: dict[tuple[str, str], int | tuple[int, str]] = {}  # (channel, chat) → contact
    for spec in specs:
        unit_id = unit_ids[spec.code]
        for c in spec.contacts:
            summary.contacts += 1
            found = (by_phone.get(c.phone) if c.phone else None) or \
                by_name.get((unit_id, c.name))
            key: int | tuple[int, str]
            if found is None:
                key = (unit_id, c.name)
                new[key] = (c.name, c.role, unit_id, c.phone)
            elif stored.get(found) == (c.name, c.role, unit_id, c.phone):
                key = found
                same.add(found)
            else:
                key = found
                changes[found] = {"b_id": found, "b_name": c.name, "b_role": c.role,
                                  "b_unit": unit_id, "b_phone": c.phone}
            for channel, chat in (("telegram", c.telegram), ("zalo", c.zalo)):
                if chat:
                    links[(channel, chat)] = key
    stored.clear()
    for (key, row), cid in zip(new.items(), _reserve(session, "contact", len(new)),
                               strict=True):
        by_name[key] = cid
        todo.contacts_added.append((cid, *row))
    todo.contacts_changed = list(changes.values())
    kept = set(changes) | same | {row[0] for row in todo.contacts_added}

    identities = {(channel, chat): (iid or 0, contact) for iid, channel, chat, contact in
                  session.exec(select(Identity.id, Identity.channel, Identity.chat_id,
                                      Identity.contact_id))}
    now = utcnow()
    for (channel, chat), key in links.items():
        contact_id = key if isinstance(key, int) else by_name[key]
        if (channel, chat) in identities:
            iid = identities[(channel, chat)][0]
            identities[(channel, chat)] = (iid, contact_id)
            todo.identities_moved.append({"b_id": iid, "b_contact": contact_id})
        else:
            todo.identities_added.append({"contact_id": contact_id, "channel": channel,
                                          "chat_id": chat, "linked_at": now})
    reimported = {unit_ids[s.code] for s in specs if s.contacts}
    todo.revoked = [cid for cid, unit_id in contact_units
                    if unit_id in reimported and cid not in kept]
    gone = set(todo.revoked)
    summary.contacts_revoked = sum(1 for _, contact in identities.values() if contact in gone)

    after = {code: RosterUnit(u.id or 0, u.code, u.name, u.kind, tuple(u.groups or ()))
             for code, u in units.items() if u.active}
    after.update({u.code: RosterUnit(unit_ids[u.code], u.code, u.name, u.kind,
                                     tuple(u.groups)) for u in specs})
    roster = Roster(after.values(), {}, IssuerProfile("", ""))
    todo.fan_outs = [plan_fan_out(session, plan_id, roster)
                     for plan_id in session.exec(select(Plan.id)) if plan_id is not None]
    for planned in todo.fan_outs:  # written after every plan's old rows are gone
        todo.assignments += planned.missing
        todo.partners += planned.partners
        summary.assignments_added += len(planned.missing)
        planned.missing, planned.partners = [], []
    raw = session.connection().connection.driver_connection
    if raw is not None and not getattr(raw, "in_transaction", True):  # SQLite, nothing pending
        for table, names, rows in _added(todo):
            if _stage(session, table, names, rows):
                todo.staged.add(table.name)
        if todo.staged:
            raw.commit()  # only the TEMP tables were written: the main database stays free
    return todo, summary


def _apply(session: Session, todo: _Prepared, file: str) -> None:
    connection = session.connection()
    raw = connection.connection.driver_connection
    if connection.dialect.name == "sqlite" and raw is not None and not raw.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock, then the check
    if _state(session) != todo.seen:
        raise RosterChangedError(file)
    added = _added(todo)
    _insert(session, *added[0], "unit" in todo.staged)
    for rows in _chunks(todo.units_changed):
        connection.execute(update(Unit).where(col(Unit.id) == bindparam("b_id")).values(
            name=bindparam("b_name"), kind=bindparam("b_kind"), ward=bindparam("b_ward"),
            groups=bindparam("b_groups"), active=True), rows)
    if todo.aliases:
        keep_aliases(session, todo.aliases)
    _insert(session, *added[1], "contact" in todo.staged)
    for rows in _chunks(todo.contacts_changed):
        connection.execute(update(Contact).where(col(Contact.id) == bindparam("b_id")).values(
            name=bindparam("b_name"), role=bindparam("b_role"), unit_id=bindparam("b_unit"),
            phone=bindparam("b_phone")), rows)
    for rows in _chunks(todo.identities_moved):
        connection.execute(update(Identity).where(col(Identity.id) == bindparam("b_id"))
                           .values(contact_id=bindparam("b_contact")), rows)
    for rows in _chunks(todo.identities_added):
        connection.execute(insert(Identity), rows)
    for part in range(0, len(todo.revoked), 500):
        gone = todo.revoked[part:part + 500]
        connection.execute(delete(Identity).where(col(Identity.contact_id).in_(gone)))
        connection.execute(update(Invite).where(
            col(Invite.contact_id).in_(gone), col(Invite.used_at).is_(None))
            .values(expires_at=utcnow()))


def save_units(session: Session, specs: list[UnitSpec], file: str = "") -> ImportSummary:
    """Add or update units (by code) and their contacts (by phone, else by name); people
    gone from a re-imported unit lose their chat links. Every row is worked out first by
    reads alone (no write lock held: a running service keeps storing its updates), then
    written in bulk statements in the caller's one transaction, all or nothing; if the
    database changed meanwhile, `RosterChangedError` and nothing is written."""
    todo, summary = _prepare(session, specs)
    _apply(session, todo, file)
    for planned in todo.fan_outs:
        summary.assignments_removed += apply_fan_out(session, planned)[1]
    added = _added(todo)
    _insert(session, *added[2], "assignment" in todo.staged)
    _insert(session, *added[3], "partner" in todo.staged)
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
