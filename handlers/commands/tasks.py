"""`/nhiemvu`: a school's tasks with their state and due date."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from handlers import texts
from storage.models import Unit
from storage.queries import active_plan, statuses


def tasks_text(session: Session, unit: Unit, today: date) -> str:
    plan = active_plan(session)
    if plan is None:
        return texts.NO_PLAN
    rows = statuses(session, plan_id=plan.id or 0, unit_id=unit.id)
    if not rows:
        return f"{unit.name} chưa được giao nhiệm vụ nào trong kế hoạch {plan.number}."
    lines = [f"NHIỆM VỤ CỦA {unit.name.upper()} ({plan.number})"]
    for s in rows:
        a = s.assignment
        completed = a.completed_on
        title = s.task.content if len(s.task.content) <= 70 else s.task.content[:67] + "…"
        lines.append(f"• {s.task.code} {title}\n   {texts.state_text(a.state, a.percent, a.note)}"
                     f" — {texts.timing(a.state, s.task.due_on, completed, today)}")
    first, second = rows[0].task.code, rows[min(1, len(rows) - 1)].task.code
    lines.append(f"Trả lời: xong {first} / {second} đang làm 50% / {first} gặp khó khăn: …")
    return "\n".join(lines)
