"""Every sentence of an answer to a reply: confirmations, questions asked back (one tap),
small talk, refusals, undo, reports submitted, evidence, snooze and pause. Polite, short,
one idea a line."""

from __future__ import annotations

from datetime import date

from handlers.dates import day_short
from handlers.texts import NO_PLAN as NO_PLAN
from handlers.texts import OTHER_SCHOOL as OTHER_SCHOOL
from handlers.texts import STATE_NAMES
from handlers.texts import state_text as state_text
from handlers.texts import timing as timing
from storage.models import State

NOTHING_TO_UNDO = "Không có lần ghi nhận nào gần đây để hoàn tác."
UNDO_HINT = "Nếu có nhầm lẫn, thầy/cô trả lời “hoàn tác” để hủy lần ghi nhận này."
UNDO_BUTTON = "↩ Hoàn tác"


def confirmation(unit_name: str, lines: list[str], on_behalf: bool) -> str:
    head = f"Đã ghi nhận cho {unit_name}" if on_behalf else "Đã ghi nhận"
    return f"{head}:\n" + "\n".join(f"• {line}" for line in lines) + f"\n{UNDO_HINT}"


def unknown_codes(codes: list[str], own: list[str]) -> str:
    listed = ", ".join(codes)
    return (f"Không ghi nhận: nhiệm vụ {listed} không có trong danh sách giao cho trường.\n"
            f"Các nhiệm vụ của trường: {', '.join(own)}.\nChưa có thay đổi nào được lưu.")


def ask_which(own: list[str]) -> str:
    return ("Thầy/cô vui lòng cho biết mã nhiệm vụ, ví dụ “xong 1.1” hoặc “1.2 đang làm 50%”.\n"
            f"Các nhiệm vụ chưa hoàn thành của trường: {', '.join(own) or 'không còn'}.")


def undone(lines: list[str]) -> str:
    return "Đã hoàn tác lần ghi nhận trước. Trạng thái hiện tại:\n" + "\n".join(
        f"• {line}" for line in lines)


def report_submitted(name: str, when: str) -> str:
    return (f"Đã ghi nhận: nhà trường đã nộp {_lower_first(name)} ({when}). "
            f"Trân trọng cảm ơn thầy/cô.\n{UNDO_HINT}")


def report_already(name: str, when: str) -> str:
    return f"{name} của nhà trường đã được ghi nhận từ {when}; không cần gửi lại."


def report_not_submitted(name: str) -> str:
    return (f"Dạ, hệ thống ghi nhận nhà trường chưa nộp {_lower_first(name)} "
            "và sẽ tiếp tục nhắc.")


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def which_report(names: list[str]) -> str:
    return ("Thầy/cô vui lòng cho biết báo cáo nào, ví dụ “đã nộp báo cáo quý I”. "
            f"Các báo cáo trong kế hoạch: {'; '.join(names)}.")


NO_OPEN_ADHOC = "Hiện không có yêu cầu báo cáo đột xuất nào đang chờ nhà trường."
EVIDENCE_WHICH = ("Đã nhận tệp/đường link. Thầy/cô vui lòng cho biết đây là minh chứng cho "
                  "nhiệm vụ nào, ví dụ “xong 1.1” kèm tệp.")


def evidence_added(codes: list[str]) -> str:
    return f"Đã lưu minh chứng cho nhiệm vụ {', '.join(codes)}. Trân trọng cảm ơn thầy/cô."


def ask_blocked_reason(code: str) -> str:
    return (f"Thầy/cô vui lòng cho biết khó khăn của nhiệm vụ {code}, ví dụ: "
            f"“{code} gặp khó khăn: thiếu kinh phí”.")


def reason_not_kept(codes: list[str], reason: str) -> str:
    named = ", ".join(codes)
    return (f"Lý do “{reason}” chưa được ghi. Nếu nhiệm vụ {named} đang gặp khó khăn, "
            f"thầy/cô trả lời: “{named} gặp khó khăn: {reason}”.")


def day_not_past(code: str, day: date | None, typed: str) -> str:
    if day is None:
        return (f"Ngày {typed} không hợp lệ nên hệ thống chưa ghi nhận nhiệm vụ {code}. "
                f"Thầy/cô vui lòng nhắn lại, ví dụ: “xong {code} ngày 15/3”.")
    return (f"Ngày {day_short(day)} chưa đến nên hệ thống chưa ghi nhận "
            f"nhiệm vụ {code} hoàn thành. Khi xong, thầy/cô nhắn “xong {code}”.")


NOTHING_TO_SNOOZE = "Hiện không có tin nhắc nào để nhắc lại."
NOTHING_TO_ACK = "Hiện không có thông báo nào cần xác nhận."
ACKED = "Cảm ơn thầy/cô đã xác nhận."
BAD_DATE = "Ngày tạm dừng không hợp lệ. Ví dụ: “tạm dừng nhắc đến 15/8”."


def snoozed(when: str) -> str:
    return f"Dạ, hệ thống sẽ nhắc lại thầy/cô vào {when}."


def paused(until: str, office: str) -> str:
    return (f"Dạ, hệ thống tạm dừng nhắc việc tới thầy/cô đến hết {until}. Các việc quá hạn "
            f"vẫn được tổng hợp gửi {office}.")


YES, NO = "1", "2"


def fold_lines(items: list[tuple[str, str]]) -> list[str]:
    """(code, what) pairs as lines, identical ones folded:
    "2.1, 2.2, … 7.4 — Đang thực hiện 30%"."""
    groups: list[tuple[list[str], str]] = []
    for code, what in items:
        for codes, same in groups:
            if same == what:
                codes.append(code)
                break
        else:
            groups.append(([code], what))
    lines = []
    for codes, what in groups:
        named = ", ".join(codes) if len(codes) <= 3 else f"{codes[0]}, {codes[1]}, … {codes[-1]}"
        lines.append(f"{named} — {what}" if what else named)
    return lines


def listed(codes: list[str]) -> str:
    return fold_lines([(c, "") for c in codes])[0] if codes else ""


def confirm_label(state: State, codes: list[str]) -> str:
    names = {State.DONE: "Đã hoàn thành", State.IN_PROGRESS: "Đang thực hiện",
             State.NOT_STARTED: "Chưa thực hiện", State.BLOCKED: "Gặp khó khăn"}
    return f"{names[state]} {listed(codes)}"


NO_LABEL = "Chưa"


def ask_confirm(state: State, codes: list[str], numbered: bool) -> str:
    what = STATE_NAMES[state].lower()
    text = (f"Thầy/cô xác nhận giúp: nhiệm vụ {listed(codes)} đã {what} chưa ạ? "
            "Hệ thống chưa ghi nhận gì cho đến khi thầy/cô trả lời.")
    if numbered:
        text += (f"\nTrả lời {YES} — {confirm_label(state, codes)}; "
                 f"{NO} — {NO_LABEL}.")
    return text


ANSWER_NO = "Dạ, chưa ghi nhận thay đổi nào; hệ thống sẽ tiếp tục nhắc."
ANSWER_EXPIRED = ("Câu hỏi xác nhận đã hết hạn nên chưa có gì được ghi nhận. Thầy/cô vui lòng "
                  "nhắn lại, ví dụ “xong 1.2”.")


def out_of_range(codes: list[str]) -> str:
    what = f"nhiệm vụ {listed(codes)}" if any(codes) else "nhiệm vụ này"
    return f"Tỉ lệ phần trăm phải từ 0 đến 100%; chưa ghi nhận {what}."


def not_now(codes: list[str]) -> str:
    """A plan, a promise or an "almost": nothing written, how to report when done."""
    example = codes[0] if codes else "1.1"
    return (f"Dạ, hệ thống chưa ghi nhận gì. Khi hoàn thành, thầy/cô nhắn "
            f"“xong {example}” để hệ thống ghi nhận.")


def status_answer(lines: list[str]) -> str:
    return "Hiện hệ thống đang ghi nhận:\n" + "\n".join(f"• {line}" for line in lines)


def deadlines(lines: list[str]) -> str:
    return "Hạn các báo cáo:\n" + "\n".join(f"• {line}" for line in lines)


GREETING = "Kính chào thầy/cô. Thầy/cô báo tiến độ bằng tin ngắn, ví dụ “xong 1.1”."
THANKS = "Dạ, cảm ơn thầy/cô."
NODDED = "Dạ."
NOT_UNDERSTOOD = ("Xin lỗi, hệ thống chưa hiểu tin nhắn này. Ví dụ: “xong 1.1” hoặc "
                  "“1.2 đang làm 50%”.")


def off_topic(contact: str, office: str) -> str:
    """*office*: the issuing office's short name."""
    who = f" ({contact})" if contact else ""
    return ("Hệ thống chỉ ghi nhận tiến độ nhiệm vụ; với câu hỏi khác, thầy/cô vui lòng liên "
            f"hệ chuyên viên {office}{who}.")


def unknown_unit(typed: str, nearest: list[str]) -> str:
    text = f"Không tìm thấy đơn vị “{typed}”; chưa có thay đổi nào được lưu."
    if nearest:
        text += f" Có phải: {', '.join(nearest)}?"
    return text
