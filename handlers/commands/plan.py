"""The loaded plan as text: what `nhacviec plan` shows an admin."""

from __future__ import annotations

from sqlmodel import Session

from handlers.dates import day_long
from storage.models import DueKind, Task
from storage.queries import active_plan, areas_of, periods_of, statuses, tasks_of, units

DUE_WORDS = {
    DueKind.ONGOING: "thực hiện cả năm, báo cáo tiến độ theo từng kỳ, kết thúc",
    DueKind.MONTHLY: "hằng tháng, đến",
    DueKind.QUARTERLY: "hằng quý, đến",
}


def plan_text(session: Session) -> str:
    plan = active_plan(session)
    if plan is None:
        return "Chưa có kế hoạch nào. Chạy “nhacviec init” hoặc “nhacviec import-plan TỆP”."
    tasks = tasks_of(session, plan_id=plan.id or 0)
    counts: dict[int, int] = {}
    for s in statuses(session, plan_id=plan.id or 0):
        counts[s.task.id or 0] = counts.get(s.task.id or 0, 0) + 1
    issued = f", {day_long(plan.issued_on)}" if plan.issued_on else ""
    lines = [plan.title.upper(), f"Số {plan.number}{issued} — {plan.issuer}",
             f"{len(tasks)} nhiệm vụ; {len(units(session))} đơn vị", ""]
    by_area: dict[int, list[Task]] = {}
    for t in tasks:
        by_area.setdefault(t.area_id, []).append(t)
    for area in areas_of(session, plan_id=plan.id or 0):
        lines.append(f"{area.number}. {area.title}")
        for t in by_area.get(area.id or 0, []):
            due = f"{DUE_WORDS.get(t.due_kind, 'hạn')} {day_long(t.due_on)}"
            lines.append(f"   {t.code}  {t.content}")
            lines.append(f"        Đơn vị: {t.units_text} ({counts.get(t.id or 0, 0)} đơn vị)"
                         f" · {due} (“{t.deadline_text}”)")
    lines += ["", "Lịch báo cáo định kỳ:"]
    lines += [f" - {p.name}: {day_long(p.due_on)}" for p in periods_of(session,
                                                                         plan_id=plan.id or 0)]
    if plan.targets:
        lines += ["", "Chỉ tiêu:"] + [f" {i}. {t}" for i, t in enumerate(plan.targets, 1)]
    return "\n".join(lines)
