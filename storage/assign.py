"""Turning a plan's unit phrases into assignments (lead units) and partners."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from storage.files.plan import PlanSpec
from storage.issuer import IssuerProfile
from storage.models import Assignment, History, Partner, Plan, Task, Unit, UnitAlias
from storage.unitphrases import Roster, RosterUnit, Unresolved, norm


@dataclass
class Resolution:
    lead: dict[str, list[str]] = field(default_factory=dict)  # task code → targets
    partners: dict[str, list[str]] = field(default_factory=dict)
    unresolved: list[Unresolved] = field(default_factory=list)


def load_roster(session: Session, issuer: IssuerProfile,
                mapping: dict[str, list[str]] | None = None) -> Roster:
    """The active units with their groups, the kept aliases, and *mapping* (a `--map`
    file's phrases, which win over kept ones)."""
    units = [RosterUnit(u.id or 0, u.code, u.name, u.kind, tuple(u.groups or ()))
             for u in session.exec(select(Unit).where(Unit.active == True))]  # noqa: E712
    aliases = {a.phrase: list(a.targets) for a in session.exec(select(UnitAlias))}
    aliases.update(mapping or {})
    return Roster(units, aliases, issuer)


def resolve_plan(spec: PlanSpec, roster: Roster) -> Resolution:
    result = Resolution()
    for task in spec.tasks:
        for text, into in ((task.units_text, result.lead), (task.partners_text, result.partners)):
            targets, missing = roster.resolve_cell(text)
            into[task.code] = targets
            result.unresolved += [Unresolved(task.row, task.where, p, roster.nearest(p))
                                  for p in missing]
    return result


def keep_aliases(session: Session, mapping: dict[str, list[str]]) -> None:
    """Remember a `--map` file's phrases for the next import."""
    kept = {a.key: a for a in session.exec(select(UnitAlias))}
    for phrase, targets in mapping.items():
        alias = kept.get(norm(phrase)) or UnitAlias(key=norm(phrase), phrase=phrase)
        alias.phrase, alias.targets = phrase, list(targets)
        session.add(alias)
    session.flush()


@dataclass
class FanOut:
    """The rows `fan_out` writes for one plan, worked out beforehand (reads only)."""

    task_ids: list[int]
    missing: list[tuple[int, int]]  # (task id, unit id) of the assignments to add
    partners: list[tuple[int, int]]  # (task id, unit id) of every partner of the plan's tasks
    gone: list[int]  # assignments no longer wanted (removed unless they have history)


def plan_fan_out(session: Session, plan_id: int, roster: Roster) -> FanOut:
    """What `fan_out` would write for the plan with *roster*'s units, read without writing."""
    tasks = session.exec(select(Task.id, Task.lead, Task.partners)
                         .where(Task.plan_id == plan_id)).all()
    have = {(t, u): a for a, t, u in session.exec(
        select(Assignment.id, Assignment.task_id, Assignment.unit_id)
        .join(Task, col(Assignment.task_id) == Task.id).where(Task.plan_id == plan_id))}
    wanted: set[tuple[int, int]] = set()
    partners: list[tuple[int, int]] = []
    for task_id, lead, partner in tasks:
        assert task_id is not None
        leads = roster.unit_ids(lead or [])
        wanted.update((task_id, u) for u in leads)
        partners += [(task_id, u) for u in sorted(roster.unit_ids(partner or []) - leads)]
    return FanOut(task_ids=[t for t, _, _ in tasks if t is not None],
                  missing=sorted(wanted - have.keys()),
                  partners=partners,
                  gone=[a for key, a in have.items() if key not in wanted and a is not None])


def apply_fan_out(session: Session, planned: FanOut) -> tuple[int, int]:
    """Write a planned fan-out; an assignment with recorded history is never removed."""
    connection = session.connection()
    for chunk in range(0, len(planned.missing), 5000):
        connection.execute(insert(Assignment), [{"task_id": t, "unit_id": u} for t, u in
                                                planned.missing[chunk:chunk + 5000]])
    if planned.task_ids:
        connection.execute(delete(Partner).where(col(Partner.task_id).in_(planned.task_ids)))
    for chunk in range(0, len(planned.partners), 5000):
        connection.execute(insert(Partner), [{"task_id": t, "unit_id": u} for t, u in
                                             planned.partners[chunk:chunk + 5000]])
    gone = planned.gone
    with_history = set(session.exec(select(History.assignment_id).where(
        col(History.assignment_id).in_(gone)))) if gone else set()
    removable = [a for a in gone if a not in with_history]
    if removable:
        connection.execute(delete(Assignment).where(col(Assignment.id).in_(removable)))
    return len(planned.missing), len(removable)


def fan_out(session: Session, plan: Plan) -> tuple[int, int]:
    """Give every task to each active unit its lead phrases name, and record its partner
    units (bulk statements: a city has thousands of schools)."""
    session.flush()
    assert plan.id is not None
    roster = load_roster(session, IssuerProfile("", ""))
    return apply_fan_out(session, plan_fan_out(session, plan.id, roster))
