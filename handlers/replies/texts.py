"""What the bot says back to a status reply it did not simply record: questions asked back,
small talk, refusals. Polite, short, one idea a line."""

from __future__ import annotations

from handlers.texts import STATE_NAMES
from storage.models import State

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


def off_topic(contact: str) -> str:
    who = f" ({contact})" if contact else ""
    return ("Hệ thống chỉ ghi nhận tiến độ nhiệm vụ; với câu hỏi khác, thầy/cô vui lòng liên "
            f"hệ chuyên viên Phòng GD&ĐT{who}.")


def unknown_unit(typed: str, nearest: list[str]) -> str:
    text = f"Không tìm thấy đơn vị “{typed}”; chưa có thay đổi nào được lưu."
    if nearest:
        text += f" Có phải: {', '.join(nearest)}?"
    return text
