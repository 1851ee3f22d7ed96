"""The loaded plan as text: what `nhacviec plan` shows an admin."""

from __future__ import annotations

from sqlmodel import Session

from handlers.commands import texts
from handlers.dates import day_long
from storage.models import DueKind, Task
from storage.periods import periods_of
from storage.plans import active_plan, areas_of, tasks_of
from storage.records import statuses
from storage.units import units


def plan_text(session: Session) -> str:
    plan = active_plan(session)
    if plan is None:
        return texts.NO_PLAN_LOADED
    tasks = tasks_of(session, plan_id=plan.id or 0)
    counts: dict[int, int] = {}
    for s in statuses(session, plan_id=plan.id or 0):
        counts[s.task.id or 0] = counts.get(s.task.id or 0, 0) + 1
    issued = f", {day_long(plan.issued_on)}" if plan.issued_on else ""
    lines = [plan.title.upper(), texts.plan_number(plan.number, issued, plan.issuer),
             texts.plan_size(len(tasks), len(units(session))), ""]
    by_area: dict[int, list[Task]] = {}
    for t in tasks:
        by_area.setdefault(t.area_id, []).append(t)
    for area in areas_of(session, plan_id=plan.id or 0):
        lines.append(f"{area.number}. {area.title}")
        for t in by_area.get(area.id or 0, []):
            due = f"{texts.DUE_WORDS.get(t.due_kind, texts.DUE_DEFAULT)} {day_long(t.due_on)}"
            lines.append(f"   {t.code}  {t.content}")
            lines.append(texts.plan_task_units(t.units_text, counts.get(t.id or 0, 0), due,
                                               t.deadline_text))
            if t.partners_text:
                lines.append(texts.plan_task_partners(t.partners_text))
    lines += ["", texts.REPORT_CALENDAR]
    lines += [f" - {p.name}: {day_long(p.due_on)}" for p in periods_of(session,
                                                                         plan_id=plan.id or 0)]
    on_request = [t.code for t in tasks if t.due_kind == DueKind.ON_REQUEST]
    if on_request:
        lines += ["", texts.plan_on_request(on_request)]
    if plan.targets:
        lines += ["", texts.TARGETS] + [f" {i}. {t}" for i, t in enumerate(plan.targets, 1)]
    return "\n".join(lines)
