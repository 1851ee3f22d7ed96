"""/nhiemvu (/nv, /viec): a school's tasks with their state and due date — one's own, or
for staff any school's (/nhiemvu TH-CATBI)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from handlers import texts as common
from handlers.commands import texts
from handlers.context import Context
from handlers.messages import Reply
from handlers.replies import texts as reply_texts
from handlers.replies.units import split_prefix
from storage.models import Unit
from storage.plans import active_plan
from storage.records import statuses
from storage.units import units


def run(ctx: Context) -> Reply:
    target = ctx.school
    if ctx.args and ctx.staff:  # a school named by code or name; never the sender's own instead
        known = units(ctx.session)
        prefix = split_prefix(ctx.args, known)
        found = next((u for u in known if prefix and u.code == prefix.unit_code), None)
        if found is None:
            typed = prefix.typed if prefix else ctx.args.strip()
            nearest = prefix.nearest if prefix else []
            return ctx.reply.say(reply_texts.unknown_unit(typed, nearest))
        target = found
    return ctx.reply.say(tasks_text(ctx.session, target, ctx.now.date()))


def tasks_text(session: Session, unit: Unit, today: date) -> str:
    plan = active_plan(session)
    if plan is None:
        return common.NO_PLAN
    rows = statuses(session, plan_id=plan.id or 0, unit_id=unit.id)
    if not rows:
        return texts.no_tasks(unit.name, plan.number)
    lines = [texts.tasks_head(unit.name, plan.number)]
    for s in rows:
        a = s.assignment
        lines.append(texts.task_line(
            s.task.code, s.task.content, common.state_text(a.state, a.percent, a.note),
            common.timing(a.state, s.task.due_on, a.completed_on, today)))
    first, second = rows[0].task.code, rows[min(1, len(rows) - 1)].task.code
    lines.append(texts.tasks_hint(first, second))
    return "\n".join(lines)
