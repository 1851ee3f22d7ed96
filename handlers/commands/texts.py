"""Every sentence of the commands (handlers/commands/*): onboarding, help, invites, what
staff's commands answer, and the plan as `nhacviec plan` shows it."""

from __future__ import annotations

from storage.models import DueKind


def wrong_code(office: str) -> str:
    """*office*: the issuing office's short name ("Phòng GD&ĐT", "Sở GD&ĐT")."""
    return ("Mã mời không đúng, đã dùng hoặc đã hết hạn. Thầy/cô vui lòng kiểm tra lại hoặc "
            f"liên hệ {office} để nhận mã mới.")


def too_many_guesses(office: str) -> str:
    return ("Thầy/cô đã nhập sai mã quá nhiều lần. Vui lòng thử lại sau một giờ hoặc "
            f"liên hệ {office}.")


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
    "• /kiemtra TH-CATBI 12/3 — ghi nhận một lần kiểm tra trường\n"
    "• /baocao có bộ lọc: /baocao 1.2, /baocao muc 2, /baocao TH Cát Bi, /baocao THCS, "
    "/baocao quy 1, /baocao quahan, /baocao chuatraloi; tệp: /baocao xlsx, docx, png"
)
MENU = {  # the commands a chat app lists in its menu (Telegram's "/"), by command name
    "tasks": "Nhiệm vụ của trường và hạn hoàn thành",
    "report": "Tổng hợp tiến độ (dành cho chuyên viên)",
    "help": "Hướng dẫn trả lời tin nhắc",
    "undo": "Hủy lần ghi nhận vừa rồi",
    "links": "Xem tài khoản đã liên kết",
}
HELP_ADMIN = "\n• /moi TH-CATBI hoặc /moi 0900000104 — tạo mã mời cho người liên hệ"


def welcome(name: str, unit_name: str) -> str:
    return (f"Kính chào thầy/cô {name}. Tài khoản đã được liên kết với {unit_name}.\n"
            "Từ nay hệ thống sẽ gửi nhắc hạn các nhiệm vụ tới thầy/cô qua kênh này. "
            "Gõ /giup để xem cách trả lời.")


def already_linked(name: str, unit_name: str) -> str:
    return (f"Tài khoản này đã được liên kết với thầy/cô {name} ({unit_name}). "
            "Gõ /giup để xem hướng dẫn.")


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


NO_CONTACT = "Không tìm thấy người liên hệ. Cú pháp: /moi MÃ_ĐƠN_VỊ hoặc /moi SỐ_ĐIỆN_THOẠI."
USAGE_REMIND = "Cú pháp: /nhacnho MÃ_TRƯỜNG (ví dụ /nhacnho TH-CATBI) hoặc /nhacnho 1.2"
USAGE_REQUEST = ("Cú pháp: /yeucau NGÀY_HẠN Tên báo cáo — ví dụ: "
                 "/yeucau 15/4 Báo cáo công tác phòng cháy chữa cháy")
USAGE_NOTICE = ("Cú pháp: /thongbao [MN|TH|THCS|PT] nội dung — không ghi loại trường thì gửi "
                "tất cả các trường.")
USAGE_BREAK = "Cú pháp: /nghi TỪ_NGÀY ĐẾN_NGÀY lý do — ví dụ: /nghi 1/7 31/8 Nghỉ hè"
USAGE_INSPECT = "Cú pháp: /kiemtra MÃ_TRƯỜNG [ngày] [ghi chú] — ví dụ: /kiemtra TH-CATBI 12/3"
NOBODY_TO_REMIND = ("Không có trường nào cần nhắc (đã hoàn thành, hoặc chưa liên kết "
                    "tài khoản).")
NO_NOTICE_YET = "Chưa có thông báo nào được gửi."
ADHOC_PREFIX = "Báo cáo"


def reminders_queued(count: int) -> str:
    return f"Đã xếp {count} tin nhắc gửi ngay."


def adhoc_name(name: str) -> str:
    """"Báo cáo …" however staff typed the name of an ad-hoc report."""
    return f"{ADHOC_PREFIX} {name[:1].lower()}{name[1:]}"


def request_queued(name: str, code: str, due: str, count: int) -> str:
    return (f"Đã tạo yêu cầu “{name}” (mã {code}), hạn {due}; đã xếp gửi tới {count} trường. "
            "Hệ thống sẽ nhắc các trường chưa nộp.")


def notice_queued(count: int) -> str:
    return f"Đã xếp gửi thông báo tới {count} trường. Gõ /thongbao để xem ai đã xác nhận."


def notice_status(head: str, sent: int, total: int, acked: int, missing: list[str]) -> str:
    text = f"Thông báo “{head}”: đã gửi {sent}/{total}, đã xác nhận {acked}."
    if missing:
        text += " Chưa xác nhận: " + ", ".join(missing) + "."
    return text


def break_set(start: str, end: str) -> str:
    return (f"Đã đặt thời gian nghỉ từ {start} đến {end}: không gửi nhắc việc tới các trường "
            "trong thời gian này.")


def inspected(unit: str, on: str, done: int, schools: int) -> str:
    share = round(100 * done / schools) if schools else 0
    return (f"Đã ghi nhận kiểm tra {unit} ngày {on}. Đã kiểm tra {done}/{schools} trường "
            f"({share}%; chỉ tiêu tối thiểu 30%).")


def no_tasks(unit: str, plan_number: str) -> str:
    return f"{unit} chưa được giao nhiệm vụ nào trong kế hoạch {plan_number}."


def tasks_head(unit: str, plan_number: str) -> str:
    return f"NHIỆM VỤ CỦA {unit.upper()} ({plan_number})"


def task_line(code: str, title: str, state: str, timing: str) -> str:
    title = title if len(title) <= 70 else title[:67] + "…"
    return f"• {code} {title}\n   {state} — {timing}"


def tasks_hint(first: str, second: str) -> str:
    return f"Trả lời: xong {first} / {second} đang làm 50% / {first} gặp khó khăn: …"


def report_ambiguous(units: list[tuple[str, str]]) -> str:
    return ("Có nhiều trường khớp, thầy/cô vui lòng chọn: "
            + "; ".join(f"{code} ({name})" for code, name in units)
            + ". Ví dụ: /baocao " + units[0][0])


def report_unknown(words: str) -> str:
    return (f"Không tìm thấy trường hoặc bộ lọc “{words}”. Ví dụ: /baocao TH Cát Bi, /baocao 1.2,"
            " /baocao muc 2, /baocao THCS, /baocao quy 1, /baocao quahan, /baocao chuatraloi,"
            " /baocao xlsx.")


def report_file(fmt: str, plan_number: str, as_of: str) -> str:
    return f"Báo cáo ({fmt.upper()}) — {plan_number}, tính đến {as_of}."


def unknown_period(words: str, names: list[str]) -> str:
    return f"Không có kỳ báo cáo “{words}”. Các kỳ của kế hoạch: {'; '.join(names)}."
NO_PLAN_LOADED = "Chưa có kế hoạch nào. Chạy “nhacviec init” hoặc “nhacviec import-plan TỆP”."
DUE_WORDS = {
    DueKind.ONGOING: "thực hiện cả năm, báo cáo tiến độ theo từng kỳ, kết thúc",
    DueKind.MONTHLY: "hằng tháng, đến",
    DueKind.QUARTERLY: "hằng quý, đến",
    DueKind.ON_REQUEST: "theo yêu cầu, không nhắc hạn; kế hoạch kết thúc",
}
DUE_DEFAULT = "hạn"
REPORT_CALENDAR = "Lịch báo cáo định kỳ:"
TARGETS = "Chỉ tiêu:"


def plan_number(number: str, issued: str, issuer: str) -> str:
    return f"Số {number}{issued} — {issuer}"


def plan_size(tasks: int, units: int) -> str:
    return f"{tasks} nhiệm vụ; {units} đơn vị"


def plan_task_units(units_text: str, count: int, due: str, deadline_text: str) -> str:
    return f"        Đơn vị: {units_text} ({count} đơn vị) · {due} (“{deadline_text}”)"


def plan_task_partners(partners_text: str) -> str:
    return f"        Phối hợp: {partners_text}"


def plan_on_request(codes: list[str]) -> str:
    return "Nhiệm vụ theo yêu cầu (không có hạn cố định, không nhắc): " + ", ".join(codes)


WEB_NOT_ENABLED = ("Trang theo dõi trên web chưa được bật. Quản trị viên cần đặt WEB_URL "
                   "(xem README).")
WEB_OPEN = "📊 Bảng theo dõi"


def web_link_text(expires: str) -> str:
    return (f"Bảng theo dõi nhiệm vụ của thầy/cô (liên kết riêng, có hiệu lực đến {expires}; "
            "vui lòng không chuyển cho người khác).")


# -- /huylienket, nhacviec unlink -------------------------------------------------------------
def unlinked_self(office: str) -> str:
    """*office*: the issuing office's short name."""
    return ("Đã hủy liên kết tài khoản này. Từ nay hệ thống không gửi tin nhắc tới đây nữa; "
            f"muốn liên kết lại, thầy/cô vui lòng xin mã mời mới từ {office}.")
UNLINK_USAGE = ("Cú pháp: /huylienket MÃ_ĐƠN_VỊ hoặc /huylienket SỐ_ĐIỆN_THOẠI (hủy liên kết "
                "của người liên hệ); /huylienket không kèm gì để hủy liên kết của chính mình.")
UNLINK_NOBODY = "Không tìm thấy người liên hệ. " + UNLINK_USAGE


def unlinked(names: list[str], count: int) -> str:
    if not count:
        return f"{', '.join(names)}: chưa có tài khoản nào được liên kết, không cần hủy."
    return (f"Đã hủy {count} liên kết của {', '.join(names)}. Người này không còn dùng được bot "
            "cho tới khi nhận mã mời mới.")


def no_such_day(typed: str) -> str:
    return f"Ngày “{typed}” không có trong lịch; chưa ghi nhận gì. {USAGE_INSPECT}"


# -- a plan file sent in the chat (handlers/commands/planfile.py) ------------------------------
IMPORT_LABEL, CANCEL_LABEL = "Nhập", "Huỷ"
IMPORT_HOURS = 24
YEAR_HINT = ("Nếu tệp không ghi năm của kế hoạch, thầy/cô gửi lại tệp kèm chú thích năm, "
             "ví dụ “năm 2025”.")


def not_a_plan_file(name: str) -> str:
    return (f"Tệp “{name}” không phải tệp kế hoạch: hệ thống nhận kế hoạch dạng Word (.docx) "
            "hoặc Excel (.xlsx). Chưa có gì được ghi. Để gửi minh chứng thay cho một trường, "
            "thầy/cô nhắn kèm mã trường, ví dụ “TH-CATBI xong 1.1”.")


def plan_file_too_large(name: str, megabytes: int) -> str:
    return (f"Tệp “{name}” lớn hơn {megabytes} MB nên hệ thống chưa nhận. Thầy/cô vui lòng "
            "gửi tệp nhỏ hơn hoặc nạp bằng lệnh “nhacviec import-plan TỆP” trên máy chủ.")


def plan_file_not_received(name: str) -> str:
    return (f"Hệ thống chưa tải được tệp “{name}”. Thầy/cô vui lòng gửi lại tệp sau ít phút; "
            "chưa có gì được ghi.")


def plan_unreadable(problem: str, year_hint: bool) -> str:
    text = f"Không đọc được kế hoạch. {problem}. Chưa có gì được ghi."
    return f"{text}\n{YEAR_HINT}" if year_hint else text


def plan_preview(summary: str) -> str:
    return (f"XEM TRƯỚC KẾ HOẠCH\n{summary}\n\nBấm “{IMPORT_LABEL}” để nạp kế hoạch này và "
            f"dùng nó từ nay (kế hoạch cùng số và năm được cập nhật tại chỗ), hoặc "
            f"“{CANCEL_LABEL}” để bỏ qua. Chưa có gì được ghi cho đến khi thầy/cô bấm "
            f"“{IMPORT_LABEL}” (trong vòng {IMPORT_HOURS} giờ).")


def plan_unresolved(summary: str, count: int) -> str:
    return (f"XEM TRƯỚC KẾ HOẠCH\n{summary}\n\nChưa thể nhập: {count} cụm từ ở trên chưa xác "
            "định được là đơn vị nào. Thầy/cô vui lòng bổ sung nhóm hoặc tên gọi khác cho các "
            "đơn vị trong danh sách đơn vị (nhacviec import-units), hoặc nạp trên máy chủ bằng "
            "“nhacviec import-plan TỆP --map ÁNH_XẠ.yaml” (mỗi dòng: cụm từ: [mã đơn vị hoặc "
            "nhóm]; [] nếu không giao cho đơn vị nào), rồi gửi lại tệp. Chưa có gì được ghi.")


def plan_import_cancelled(name: str) -> str:
    return f"Đã huỷ: kế hoạch trong tệp “{name}” không được nhập, không có gì được ghi."


PLAN_IMPORT_GONE = ("Yêu cầu nhập này không còn hiệu lực (đã nhập, đã huỷ hoặc đã quá "
                    f"{IMPORT_HOURS} giờ); chưa có gì được ghi. Thầy/cô vui lòng gửi lại tệp.")


def plan_import_failed(problem: str) -> str:
    return f"Chưa nhập được kế hoạch. {problem}. Không có gì được ghi."


def plan_imported(title: str, number: str, year: int, added: int, updated: int, removed: int,
                  assignments: int) -> str:
    return (f"Đã nhập kế hoạch “{title}” ({number}, năm {year}): thêm {added}, cập nhật "
            f"{updated}, bỏ {removed} nhiệm vụ; thêm {assignments} lượt giao việc. Gõ /baocao "
            "để xem tiến độ.")
