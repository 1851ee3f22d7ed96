"""Every sentence of the conversation (onboarding, help, confirmations, refusals)."""

from __future__ import annotations

from datetime import date

from handlers.dates import day_weekday, days_left
from storage.models import State

STATE_NAMES = {
    State.NOT_STARTED: "Chưa thực hiện",
    State.IN_PROGRESS: "Đang thực hiện",
    State.DONE: "Hoàn thành",
    State.BLOCKED: "Gặp khó khăn",
}

STRANGER = (
    "Xin chào! Đây là hệ thống nhắc việc của Phòng Giáo dục và Đào tạo.\n"
    "Tài khoản này chưa được liên kết với trường hoặc đơn vị nào. Để sử dụng, thầy/cô vui "
    "lòng liên hệ chuyên viên Phòng GD&ĐT để nhận mã mời, rồi gửi: /start MÃ_MỜI"
)
WRONG_CODE = ("Mã mời không đúng, đã dùng hoặc đã hết hạn. Thầy/cô vui lòng kiểm tra lại hoặc "
              "liên hệ Phòng GD&ĐT để nhận mã mới.")
TOO_MANY_GUESSES = ("Thầy/cô đã nhập sai mã quá nhiều lần. Vui lòng thử lại sau một giờ hoặc "
                    "liên hệ Phòng GD&ĐT.")
OTHER_SCHOOL = ("Thầy/cô chỉ cập nhật được nhiệm vụ của trường mình. Chưa có thay đổi nào "
                "được lưu.")
NOT_ALLOWED = "Xin lỗi, chức năng này chỉ dành cho chuyên viên Phòng GD&ĐT."
NOT_UNDERSTOOD = (
    "Xin lỗi, hệ thống chưa hiểu tin nhắn này. Thầy/cô có thể trả lời theo mẫu:\n"
    "• xong 1.1\n• 1.2 đang làm 50%\n• 1.3 gặp khó khăn: thiếu kinh phí\n"
    "• đã nộp báo cáo quý I\nGõ /giup để xem hướng dẫn."
)
FAILED = ("Xin lỗi, hệ thống gặp sự cố khi xử lý tin nhắn này; chưa có thay đổi nào được lưu. "
          "Thầy/cô vui lòng thử lại sau ít phút.")
NOTHING_TO_UNDO = "Không có lần ghi nhận nào gần đây để hoàn tác."
NO_PLAN = "Hiện chưa có kế hoạch nào được nạp vào hệ thống."
UNDO_HINT = "Nếu có nhầm lẫn, thầy/cô trả lời “hoàn tác” để hủy lần ghi nhận này."
UNDO_BUTTON = "↩ Hoàn tác"

HELP_PRINCIPAL = (
    "HƯỚNG DẪN SỬ DỤNG\n"
    "Báo cáo tiến độ bằng một tin nhắn ngắn (có dấu hoặc không dấu đều được):\n"
    "• xong 1.1 — đã hoàn thành nhiệm vụ 1.1\n"
    "• 1.2 đang làm 50% — đang thực hiện, được 50%\n"
    "• chưa xong 1.1 — chưa hoàn thành\n"
    "• 1.3 gặp khó khăn: thiếu kinh phí — báo vướng mắc\n"
    "• xong 2.1, 2.2, 2.3 — nhiều nhiệm vụ một lúc\n"
    "• đã nộp báo cáo quý I — đã nộp báo cáo định kỳ\n"
    "• hoàn tác — hủy lần ghi nhận vừa rồi\n"
    "• nhắc lại sau 2 giờ / nhắc lại ngày mai / tạm dừng nhắc đến 15/8\n"
    "Có thể gửi kèm tệp hoặc đường link minh chứng.\n"
    "Lệnh: /nhiemvu — nhiệm vụ của trường; /lienket — tài khoản đã liên kết; /giup — hướng dẫn."
)
HELP_STAFF = (
    "\n\nDành cho chuyên viên:\n"
    "• /baocao — tổng hợp tiến độ toàn kế hoạch\n"
    "• /nhiemvu TH-CATBI — nhiệm vụ của một trường\n"
    "• TH-CATBI xong 1.1 — ghi nhận thay cho trường (có lưu vết)\n"
    "• /nhacnho TH-CATBI hoặc /nhacnho 1.2 — gửi nhắc ngay\n"
    "• /yeucau 15/4 Báo cáo … — yêu cầu báo cáo đột xuất\n"
    "• /thongbao [MN|TH|THCS|PT] nội dung — gửi thông báo; /thongbao — xem ai đã xác nhận\n"
    "• /nghi 1/7 31/8 Nghỉ hè — tạm dừng nhắc mọi trường\n"
    "• /kiemtra TH-CATBI 12/3 — ghi nhận Phòng đã kiểm tra một trường\n"
    "• /baocao có bộ lọc: /baocao 1.2, /baocao muc 2, /baocao TH Cát Bi, /baocao THCS, "
    "/baocao quy 1, /baocao quahan, /baocao chuatraloi; tệp: /baocao xlsx, docx, png"
)
HELP_ADMIN = "\n• /moi TH-CATBI hoặc /moi 0900000104 — tạo mã mời cho người liên hệ"


def welcome(name: str, unit_name: str) -> str:
    return (f"Kính chào thầy/cô {name}. Tài khoản đã được liên kết với {unit_name}.\n"
            "Từ nay hệ thống sẽ gửi nhắc hạn các nhiệm vụ tới thầy/cô qua kênh này. "
            "Gõ /giup để xem cách trả lời.")


def already_linked(name: str, unit_name: str) -> str:
    return (f"Tài khoản này đã được liên kết với thầy/cô {name} ({unit_name}). "
            "Gõ /giup để xem hướng dẫn.")


def state_text(state: State, percent: int, note: str = "") -> str:
    text = STATE_NAMES[state]
    if state == State.IN_PROGRESS and percent:
        text += f" {percent}%"
    if state == State.BLOCKED and note:
        text += f": {note}"
    return text


def timing(state: State, due: date, completed: date | None, today: date) -> str:
    if state == State.DONE and completed is not None:
        late = (completed - due).days
        return "đúng hạn" if late <= 0 else f"quá hạn {late} ngày"
    return f"hạn {day_weekday(due)}, {days_left((due - today).days)}"


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


def invite_text(name: str, unit: str, code: str, expires: str, links: list[str]) -> str:
    text = f"Mã mời cho {name} ({unit}): {code} — dùng được một lần, hết hạn {expires}."
    if links:
        text += "\nĐường dẫn: " + " ; ".join(links)
    return text


def identities_text(name: str, unit: str, channels: list[str]) -> str:
    names = {"telegram": "Telegram", "zalo": "Zalo", "console": "dòng lệnh",
             "web": "trang web"}
    listed = ", ".join(names.get(c, c) for c in channels)
    return f"Thầy/cô {name} ({unit}) đang nhận tin qua: {listed}."
