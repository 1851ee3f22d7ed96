"""The words of `/baocao` and `nhacviec report`: the summary as text, and the lines the
Excel and Word files share with it."""

from __future__ import annotations

from handlers import texts as common
from handlers.dates import day_long
from handlers.reports.query import Query
from handlers.reports.summary import Summary
from handlers.reports.tally import Counts, verdict_of
from storage.models import Unit
from storage.verdict import VERDICT_NAMES


def counts_line(c: Counts) -> str:
    return (f"đã hoàn thành {c.done}/{c.total} ({c.percent}%): đúng hạn {c.on_time}, "
            f"quá hạn {c.late}; chưa đến hạn {c.pending}; quá hạn chưa xong {c.overdue}")


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def targets_lines(s: Summary) -> list[str]:
    return [
        "Chỉ tiêu:",
        f"• Việc đã đến hạn hoàn thành đúng hạn: {s.on_time_due}/{s.due_by_now} "
        f"({percent(s.on_time_due, s.due_by_now)}; chỉ tiêu 100%)",
        f"• Trường đã được Phòng kiểm tra: {s.inspected}/{s.schools} "
        f"({percent(s.inspected, s.schools)}; chỉ tiêu tối thiểu 30%)",
    ]


def summary_text(s: Summary, q: Query | None = None, per_unit: bool = True) -> str:
    """The summary as `/baocao` shows it (*per_unit* False: without the line per school)."""
    q = q or Query()
    head = [f"TỔNG HỢP TIẾN ĐỘ KẾ HOẠCH {s.plan.number}"]
    if q.period:
        head.append(f"Kỳ: {q.period.name}.")
    head.append(f"Tính đến {day_long(s.today)}.")
    if not s.overall.total:
        return "\n".join(head + ["", "Không có nhiệm vụ nào khớp với yêu cầu."])
    if q.task:
        return "\n".join(head + [""] + task_lines(s, q.task))
    if len(q.units) == 1 and not q.overdue_only and not q.unanswered_only:
        return "\n".join(head + [""] + unit_lines(s, q.units[0]))
    if q.overdue_only:
        return "\n".join(head + [""] + overdue_lines(s))
    if q.unanswered_only:
        return "\n".join(head + [""] + unanswered_lines(s))
    scope = "Toàn bộ phần được lọc" if q.filtered else "Toàn kế hoạch"
    lines = head + ["", f"{scope}: {counts_line(s.overall)}.", "", "Theo mục:"]
    for area, c in s.by_area:
        if c.total:
            lines.append(f"{area.number}. {area.title} — {c.done}/{c.total} ({c.percent}%)"
                         + (f"; quá hạn chưa xong {c.overdue}" if c.overdue else ""))
    if per_unit:
        lines += ["", "Theo đơn vị:"]
    for unit, c, overdue in s.by_unit if per_unit else []:
        late = f"; quá hạn: {', '.join(overdue)}" if overdue else ""
        lines.append(f"• {unit.code} {unit.name} — {c.done}/{c.total} ({c.percent}%){late}")
    lines += [""] + overdue_lines(s, brief=True) + unanswered_lines(s)
    if s.blocked:
        lines.append(f"Gặp khó khăn ({len(s.blocked)}): " + "; ".join(
            f"{unit} {code}" + (f" ({note})" if note else "")
            for unit, _, code, note in s.blocked) + ".")
    lines += report_lines(s)
    if not q.filtered:
        lines += [""] + targets_lines(s)
    return "\n".join(lines)


def overdue_lines(s: Summary, brief: bool = False) -> list[str]:
    late = [(u, o) for u, _, o in s.by_unit if o]
    if not late:
        return ["Không có việc nào quá hạn chưa xong."]
    total = sum(len(o) for _, o in late)
    if brief:
        return [f"Quá hạn chưa xong: {len(late)} đơn vị, {total} lượt việc."]
    return [f"Quá hạn chưa xong: {len(late)} đơn vị, {total} lượt việc."] + [
        f"• {u.code} {u.name}: {', '.join(o)}" for u, o in late]


def unanswered_lines(s: Summary) -> list[str]:
    if not s.unanswered:
        return ["Tất cả các trường đều đã phản hồi."]
    return [f"Chưa trả lời ({len(s.unanswered)} trường): "
            + ", ".join(u.code for u in s.unanswered) + "."]


def report_lines(s: Summary) -> list[str]:
    if s.period is None:
        return []
    total = len(s.submitted) + len(s.missing)
    return [f"{s.period.name} (hạn {day_long(s.period.due_on)}): {len(s.submitted)}/{total} "
            "trường đã nộp" + (f"; chưa nộp: {', '.join(u.code for u in s.missing)}."
                               if s.missing else ".")]


def task_lines(s: Summary, code: str) -> list[str]:
    task = s.rows[0].task
    c = s.overall
    lines = [f"Nhiệm vụ {code}: {task.content}", f"Hạn: {day_long(task.due_on)} "
             f"(“{task.deadline_text}”).", f"{counts_line(c).capitalize()}.", ""]
    for row in s.rows:
        v = verdict_of(row, s.today)
        a = row.assignment
        state = common.state_text(a.state, a.percent, a.note)
        lines.append(f"• {row.unit.code} — {state} ({VERDICT_NAMES[v]})")
    return lines


def unit_lines(s: Summary, unit: Unit) -> list[str]:
    c = s.overall
    lines = [f"{unit.name} ({unit.code}): {counts_line(c)}.", ""]
    for row in s.rows:
        v = verdict_of(row, s.today)
        a = row.assignment
        lines.append(f"• {row.task.code} — {common.state_text(a.state, a.percent, a.note)} "
                     f"({VERDICT_NAMES[v]}; hạn {day_long(row.task.due_on)})")
    submitted = unit.id in {u.id for u in s.submitted}
    if s.period is not None:
        lines.append(f"{s.period.name}: {'đã nộp' if submitted else 'chưa nộp'}.")
    return lines
