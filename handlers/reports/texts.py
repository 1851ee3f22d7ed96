"""The words of `/baocao` and `nhacviec report`: the summary as text, and the lines the
Excel and Word files share with it. The verdict words come from `labels`, the same in
every format."""

from __future__ import annotations

from datetime import date

from handlers import texts as common
from handlers.dates import day_long, day_short
from handlers.reports.labels import Mark, lower, word
from handlers.reports.query import Query
from handlers.reports.snapshot import Board, Snapshot
from handlers.reports.tally import Counts, mark_of
from storage.models import Unit

MAX_LINES = 50  # a city's office: lines of schools in one chat answer; the rest are counted
MAX_CODES = 30  # school codes listed in one sentence


def _codes(codes: list[str]) -> str:
    return common.schools_listed(codes, MAX_CODES)


def _rest(lines: list[str], what: str) -> list[str]:
    """At most MAX_LINES of *lines*, then how many more and where to read them all."""
    if len(lines) <= MAX_LINES:
        return lines
    return lines[:MAX_LINES] + [f"… và {len(lines) - MAX_LINES} {what} khác — đầy đủ trong "
                                "tệp /baocao xlsx."]


def counts_line(c: Counts) -> str:
    """The four states in the words every format uses ("due today" only on such a day)."""
    today = f"; {lower(Mark.DUE_TODAY)} {c.due_today}" if c.due_today else ""
    return (f"đã hoàn thành {c.done}/{c.total} ({c.percent}%): {lower(Mark.ON_TIME)} "
            f"{c.on_time}, {lower(Mark.LATE)} {c.late}; {lower(Mark.PENDING)} {c.pending}"
            f"{today}; {lower(Mark.OVERDUE)} {c.overdue}")


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def target_due(s: Snapshot) -> str:
    return (f"Việc đã đến hạn được hoàn thành đúng hạn: {s.on_time_due}/{s.due_by_now} "
            f"({percent(s.on_time_due, s.due_by_now)}; chỉ tiêu 100%)")


def target_inspected(s: Snapshot) -> str:
    return (f"Trường đã được kiểm tra: {s.inspected}/{s.schools} "
            f"({percent(s.inspected, s.schools)}; chỉ tiêu tối thiểu 30%)")


def targets_lines(s: Snapshot) -> list[str]:
    return ["Chỉ tiêu:", f"• {target_due(s)}", f"• {target_inspected(s)}"]


def summary_text(s: Snapshot, q: Query | None = None, per_unit: bool = True) -> str:
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
    if q.period and not q.filtered:
        return "\n".join(head + [""] + [f"Toàn kế hoạch: {counts_line(s.overall)}.", ""]
                         + board_lines(s.boards[0], s.today))
    scope = "Toàn bộ phần được lọc" if q.filtered else "Toàn kế hoạch"
    lines = head + ["", f"{scope}: {counts_line(s.overall)}.", "", "Theo mục:"]
    for area, c in s.by_area:
        if c.total:
            lines.append(f"{area.number}. {area.title} — {c.done}/{c.total} ({c.percent}%)"
                         + (f"; {lower(Mark.OVERDUE)} {c.overdue}" if c.overdue else ""))
    if per_unit and len(s.by_unit) > MAX_LINES:
        lines += ["", f"Theo đơn vị: {len(s.by_unit)} đơn vị, quá nhiều để liệt kê trong tin "
                  "nhắn — xem tệp /baocao xlsx, hoặc lọc: /baocao THCS, /baocao TH Cát Bi, "
                  "/baocao quahan."]
    elif per_unit:
        lines += ["", "Theo đơn vị:"]
        for unit, c, overdue in s.by_unit:
            late = f"; quá hạn: {', '.join(overdue)}" if overdue else ""
            lines.append(f"• {unit.code} {unit.name} — {c.done}/{c.total} ({c.percent}%){late}")
    lines += [""] + overdue_lines(s, brief=True) + unanswered_lines(s)
    if s.blocked:
        more = len(s.blocked) - MAX_CODES
        lines.append(f"Gặp khó khăn ({len(s.blocked)}): " + "; ".join(
            f"{unit} {code}" + (f" ({note})" if note else "")
            for unit, _, code, note in s.blocked[:MAX_CODES])
            + (f" và {more} việc khác" if more > 0 else "") + ".")
    lines += report_lines(s)
    if not q.filtered:
        lines += [""] + targets_lines(s)
    return "\n".join(lines)


def overdue_lines(s: Snapshot, brief: bool = False) -> list[str]:
    late = [(u, o) for u, _, o in s.by_unit if o]
    if not late:
        return ["Không có việc nào quá hạn chưa hoàn thành."]
    total = sum(len(o) for _, o in late)
    head = f"{word(Mark.OVERDUE)}: {len(late)} đơn vị, {total} lượt việc."
    if brief:
        return [head]
    return [head] + _rest([f"• {u.code} {u.name}: {', '.join(o)}" for u, o in late], "đơn vị")


def unanswered_lines(s: Snapshot) -> list[str]:
    if not s.unanswered:
        return ["Tất cả các trường đều đã phản hồi."]
    return [f"Chưa trả lời ({len(s.unanswered)} trường): "
            + _codes([u.code for u in s.unanswered]) + "."]


def board_head(b: Board, today: date) -> str:
    """'Báo cáo quý I năm 2024 (hạn 25/3/2024, đã quá hạn 1 ngày): 13/25 trường đã nộp'."""
    late = b.overdue_days(today)
    when = f"hạn {day_short(b.due_on)}" + (f", đã quá hạn {late} ngày" if late and b.missing
                                           else "")
    closed = ", đã kết thúc kỳ" if b.closed else ""
    return (f"{b.name} ({when}{closed}): {len(b.submitted)}/{len(b.rows)} trường đã nộp")


def report_lines(s: Snapshot) -> list[str]:
    lines = []
    for b in s.boards:
        missing = f"; chưa nộp: {_codes([u.code for u in b.missing])}." if b.missing else "."
        lines.append(board_head(b, s.today) + missing)
    return lines


def board_lines(b: Board, today: date) -> list[str]:
    """The submission board of one report: who, when, how late (those still owing first)."""
    lines = []
    for r in sorted(b.rows, key=lambda r: (r.submitted_at is not None, r.unit.code)):
        if r.submitted_at is None:
            late = f" — quá hạn {r.days_late} ngày" if r.days_late else ""
            lines.append(f"• {r.unit.code} {r.unit.name}: chưa nộp{late}")
        else:
            late = f", muộn {r.days_late} ngày" if r.days_late else ", đúng hạn"
            lines.append(f"• {r.unit.code} {r.unit.name}: đã nộp ngày "
                         f"{day_short(r.submitted_at.date())}{late}")
    return [board_head(b, today) + "."] + _rest(lines, "trường")


def task_lines(s: Snapshot, code: str) -> list[str]:
    task = s.rows[0].task
    c = s.overall
    lines = [f"Nhiệm vụ {code}: {task.content}", f"Hạn: {day_long(task.due_on)} "
             f"(“{task.deadline_text}”).", f"{counts_line(c).capitalize()}.", ""]
    for row in s.rows:
        a = row.assignment
        state = common.state_text(a.state, a.percent, a.note)
        lines.append(f"• {row.unit.code} — {state} ({lower(mark_of(row, s.today))})")
    return lines


def unit_lines(s: Snapshot, unit: Unit) -> list[str]:
    c = s.overall
    lines = [f"{unit.name} ({unit.code}): {counts_line(c)}.", ""]
    for row in s.rows:
        a = row.assignment
        lines.append(f"• {row.task.code} — {common.state_text(a.state, a.percent, a.note)} "
                     f"({lower(mark_of(row, s.today))}; hạn {day_long(row.task.due_on)})")
    for b in s.boards:
        here = next((r for r in b.rows if r.unit.id == unit.id), None)
        if here is None:
            continue
        if here.submitted_at is not None:
            lines.append(f"{b.name}: đã nộp ngày {day_short(here.submitted_at.date())}.")
        else:
            lines.append(f"{b.name}: chưa nộp.")
    return lines
