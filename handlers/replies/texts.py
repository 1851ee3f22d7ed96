"""Every sentence of an answer to a reply: confirmations, questions back, undo, reports
submitted, evidence, snooze and pause."""

from __future__ import annotations

from handlers.texts import NO_PLAN as NO_PLAN
from handlers.texts import NOT_UNDERSTOOD as NOT_UNDERSTOOD
from handlers.texts import state_text as state_text
from handlers.texts import timing as timing

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


def ask_state(codes: list[str]) -> str:
    listed = ", ".join(codes)
    return (f"Thầy/cô muốn báo nhiệm vụ {listed} thế nào? Ví dụ: “xong {codes[0]}”, "
            f"“{codes[0]} đang làm 50%” hoặc “{codes[0]} gặp khó khăn: …”.")


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


NOTHING_TO_SNOOZE = "Hiện không có tin nhắc nào để nhắc lại."
NOTHING_TO_ACK = "Hiện không có thông báo nào cần xác nhận."
ACKED = "Cảm ơn thầy/cô đã xác nhận."
BAD_DATE = "Ngày tạm dừng không hợp lệ. Ví dụ: “tạm dừng nhắc đến 15/8”."


def snoozed(when: str) -> str:
    return f"Dạ, hệ thống sẽ nhắc lại thầy/cô vào {when}."


def paused(until: str) -> str:
    return (f"Dạ, hệ thống tạm dừng nhắc việc tới thầy/cô đến hết {until}. Các việc quá hạn "
            "vẫn được tổng hợp gửi Phòng GD&ĐT.")
