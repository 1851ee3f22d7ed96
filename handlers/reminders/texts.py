"""The words of reminder digests (and their quick-reply buttons), escalations, notices and
ad-hoc report requests."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from handlers.dates import day_weekday, days_left
from handlers.messages import Action, ActionKind
from handlers.reminders.planner import Digest, Line
from handlers.texts import schools_listed
from handlers.workdays import day_off_words
from storage.models import State

ROLE_TITLES = {"principal": "Hiệu trưởng", "staff": "Chuyên viên", "admin": "Quản trị"}
MAX_TITLE = 80
MAX_LATE_LINES = 100  # staff's weekly digest: late schools in at most so many lines


def short(title: str) -> str:
    return title if len(title) <= MAX_TITLE else title[:MAX_TITLE - 1].rstrip(" ,;") + "…"


def due_words(line: Line) -> str:
    return _due_words(line.item.due, line.days_left)


@lru_cache(maxsize=4096)
def _due_words(due: date, left: int) -> str:
    off = day_off_words(due)
    when = f"hạn {day_weekday(due)}" + (f" {off}" if off else "")
    return f"{when}, {days_left(left)}"


def _task_line(line: Line) -> str:
    item = line.item
    return _task_words(item.code, item.title, item.due, line.days_left)


@lru_cache(maxsize=16384)
def _task_words(code: str, title: str, due: date, left: int) -> str:
    """One line per task: every school owing it on that day reads the same words."""
    return f"• {code} {short(title)} — {_due_words(due, left)}"


def late_words(line: Line) -> str:
    """'Báo cáo quý I năm 2024 — quá hạn 14 ngày', '1.2 Triển khai … — quá hạn 8 ngày'."""
    item = line.item
    what = item.title if item.kind == "report" else f"{item.code} {short(item.title)}"
    return f"{what} — quá hạn {-line.days_left} ngày"


def _what(code: str, title: str) -> str:
    """A task by its code, a report by its name (report codes are never shown)."""
    return code if code[:1].isdigit() else title


def _late_shown(escalations: list[tuple[int, list[Line]]]) -> list[tuple[int, list[Line]]]:
    """All late schools, or for a city's office the longest late of them, in full, while
    they fit in about one chat message (at least one school)."""
    if sum(1 + len(lines) for _, lines in escalations) <= MAX_LATE_LINES:
        return escalations
    shown: list[tuple[int, list[Line]]] = []
    used = 0
    for unit_id, lines in sorted(escalations, key=lambda e: (e[1][0].item.due, e[0])):
        used += 1 + len(lines)
        if shown and used > MAX_LATE_LINES:
            break
        shown.append((unit_id, lines))
    return shown


def escalation_lines(d: Digest, unit_names: dict[int, str]) -> list[str]:
    """Staff's weekly section: every late school by its full name, each late item, what
    changed since last week, and who cannot be reached."""
    parts: list[str] = []
    if d.escalations:
        count = sum(len(lines) for _, lines in d.escalations)
        parts += ["", f"TỔNG HỢP HẰNG TUẦN: {len(d.escalations)} TRƯỜNG CÓ VIỆC QUÁ HẠN TRÊN "
                  f"{d.escalate_after} NGÀY ({count} việc)"]
        shown = _late_shown(d.escalations)
        for unit_id, lines in shown:
            parts.append(f"• {unit_names.get(unit_id, str(unit_id))}:")
            parts += [f"   – {late_words(ln)}" for ln in lines]
        if len(shown) < len(d.escalations):
            rest = len(d.escalations) - len(shown)
            items = count - sum(len(lines) for _, lines in shown)
            parts.append(f"… và {rest} trường khác ({items} việc) — danh sách đầy đủ: "
                         "/baocao quahan hoặc tệp /baocao xlsx.")
    changes = []
    if d.escalation_new:
        changes.append(f"{d.escalation_new} việc mới quá hạn")
    if d.escalation_resolved:
        done = [f"{unit_names.get(u, str(u))}: {_what(code, title)}"
                for u, code, title in d.escalation_resolved[:10]]
        more = "…" if len(d.escalation_resolved) > 10 else ""
        changes.append(f"{len(d.escalation_resolved)} việc đã được hoàn thành hoặc đã nộp "
                       f"({'; '.join(done)}{more})")
    if changes:
        parts.append("So với tuần trước: " + "; ".join(changes) + ".")
    elif d.escalations:
        parts.append("So với tuần trước: không có thay đổi.")
    if d.unreachable:
        names = schools_listed([unit_names.get(u, str(u)) for u in d.unreachable], 10)
        parts.append(f"Chưa liên lạc được qua chat: {len(d.unreachable)} trường ({names}) — "
                     "hiệu trưởng chưa liên kết tài khoản hoặc đã chặn bot.")
    return parts


def digest_text(d: Digest, unit_name: str, plan_number: str,
                unit_names: dict[int, str] | None = None, office: str = "") -> str:
    """*unit_names*: schools by id (staff's weekly section); *office*: the issuing office's
    short name ("Phòng GD&ĐT", "Sở GD&ĐT")."""
    r = d.recipient
    title = ROLE_TITLES.get(r.role, "")
    parts = [f"Kính gửi thầy/cô {r.name} — {title} {unit_name},",
             f"{office or 'Hệ thống'} trân trọng nhắc các việc theo Kế hoạch {plan_number}:"]
    if d.overdue:
        parts += ["", "ĐÃ QUÁ HẠN"] + [_task_line(ln) for ln in d.overdue]
    if d.soon:
        parts += ["", "SẮP ĐẾN HẠN"] + [_task_line(ln) for ln in d.soon]
    if d.reports:
        parts += ["", "BÁO CÁO CẦN NỘP"] + [f"• {ln.item.title} — {due_words(ln)}"
                                             for ln in d.reports]
    if d.progress:
        codes = ", ".join(ln.item.code for ln in d.progress)
        parts += ["", "TIẾN ĐỘ NHIỆM VỤ THỰC HIỆN CẢ NĂM",
                  f"• {codes} — kính đề nghị thầy/cô cho biết tiến độ để tổng hợp báo cáo kỳ "
                  "này."]
    if d.escalations or d.escalation_resolved:
        parts += escalation_lines(d, unit_names or {})
    example = d.overdue + d.soon + d.progress
    answers = []
    if example:
        code = example[0].item.code
        answers = [f"“xong {code}”", f"“{code} đang làm 50%”", f"“{code} gặp khó khăn: …”"]
    if d.reports:
        answers.append(f"“đã nộp {_lower_first(d.reports[0].item.title)}”")
    if answers:
        parts += ["", "Trả lời ngắn: " + ", ".join(answers) + ". "
                  "Cần nhắc lại sau: “nhắc lại ngày mai”."]
    parts += ["", "Trân trọng."]
    return "\n".join(parts)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def notice_text(body: str, sender: str, office: str) -> str:
    return (f"THÔNG BÁO CỦA {office.upper()}\n{body}\n\n— {sender}\n"
            "Thầy/cô trả lời “đã nhận” để xác nhận.")


def adhoc_request(name: str, due: str, sender: str) -> str:
    return (f"YÊU CẦU BÁO CÁO ĐỘT XUẤT\n{name}\nHạn nộp: {due}.\n— {sender}\n"
            "Khi đã nộp, thầy/cô trả lời “đã nộp báo cáo đột xuất”.")


def button_rows(codes: list[str]) -> list[list[list[str]]]:
    """Quick replies for a reminder, as stored with it: [label, data] per button, a row per
    task (done / in progress / blocked). Read-only: shared between digests."""
    return _button_rows(tuple(codes[:8]))


@lru_cache(maxsize=4096)
def _button_rows(codes: tuple[str, ...]) -> list[list[list[str]]]:
    def data(code: str, state: State) -> str:
        return Action(ActionKind.STATUS, code, state).encode()

    return [[[f"✅ Xong {c}", data(c, State.DONE)],
             [f"⏳ Đang làm {c}", data(c, State.IN_PROGRESS)],
             [f"⚠ Khó khăn {c}", data(c, State.BLOCKED)]] for c in codes]


def unreachable_line(rows: list[tuple[str, str]]) -> str:
    """'Không gửi được tới 24 trường: 23 chưa liên kết tài khoản (MN-CATBI, …); 1 lần gửi
    gần nhất thất bại — bị chặn hoặc lỗi (TH-X).' from (unit code, reason) pairs."""
    if not rows:
        return ""
    groups = [("not_linked", "chưa liên kết tài khoản"),
              ("failed", "lần gửi gần nhất thất bại — bị chặn hoặc lỗi")]
    parts = []
    for reason, words in groups:
        codes = [code for code, why in rows if why == reason]
        if codes:
            parts.append(f"{len(codes)} {words} ({schools_listed(codes, 12)})")
    return f"Không gửi được tới {len(rows)} trường: " + "; ".join(parts) + "."
