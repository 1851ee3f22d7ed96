"""The core's own words (who is this, not allowed, not understood, a failure) and the
words for a record's state, which replies, /nhiemvu and reports all use. Each feature's
other sentences are in its package's texts.py."""

from __future__ import annotations

from datetime import date

from handlers.dates import day_weekday, days_left
from storage.issuer import IssuerProfile, profile_of
from storage.models import Plan, State

STATE_NAMES = {
    State.NOT_STARTED: "Chưa thực hiện",
    State.IN_PROGRESS: "Đang thực hiện",
    State.DONE: "Hoàn thành",
    State.BLOCKED: "Gặp khó khăn",
}
NO_OFFICE = IssuerProfile("cơ quan quản lý", "cơ quan quản lý")  # before any plan is loaded


def office_of(plan: Plan | None) -> IssuerProfile:
    """The office that issued the active plan: every text that names the office takes its
    words from its profile."""
    return profile_of(plan) if plan is not None else NO_OFFICE


def stranger(office: IssuerProfile) -> str:
    return (f"Xin chào! Đây là hệ thống nhắc việc của {office.full_name}.\n"
            "Tài khoản này chưa được liên kết với trường hoặc đơn vị nào. Để sử dụng, thầy/cô "
            f"vui lòng liên hệ chuyên viên {office.short_name} để nhận mã mời, rồi gửi: "
            "/start MÃ_MỜI")


def not_allowed(office: IssuerProfile) -> str:
    return f"Xin lỗi, chức năng này chỉ dành cho chuyên viên {office.short_name}."


OTHER_SCHOOL = ("Thầy/cô chỉ cập nhật được nhiệm vụ của trường mình. Chưa có thay đổi nào "
                "được lưu.")
NOT_UNDERSTOOD = (
    "Xin lỗi, hệ thống chưa hiểu tin nhắn này. Thầy/cô có thể trả lời theo mẫu:\n"
    "• xong 1.1\n• 1.2 đang làm 50%\n• 1.3 gặp khó khăn: thiếu kinh phí\n"
    "• đã nộp báo cáo quý I\nGõ /giup để xem hướng dẫn."
)
FAILED = ("Xin lỗi, hệ thống gặp sự cố khi xử lý tin nhắn này; chưa có thay đổi nào được lưu. "
          "Thầy/cô vui lòng thử lại sau ít phút.")
NO_PLAN = "Hiện chưa có kế hoạch nào được nạp vào hệ thống."


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


# -- channels: what the transports report as facts, worded here ----------------------------
PRIVATE_ONLY = ("Mã mời chỉ dùng được trong cuộc trò chuyện riêng với bot, không dùng trong "
                "nhóm. Thầy/cô vui lòng mở cuộc trò chuyện riêng với bot rồi gửi lại: "
                "/start MÃ_MỜI")
UNSUPPORTED = ("Hệ thống chỉ đọc được tin nhắn chữ. Thầy/cô vui lòng trả lời bằng chữ, ví dụ "
               "“xong 1.1”.")
NO_FILES = ("Kênh này chưa cho phép bot gửi tệp. Thầy/cô vui lòng mở báo cáo trên Telegram hoặc "
            "nhờ chuyên viên xuất tệp bằng lệnh “nhacviec report”.")
BOT_COMMANDS = [  # the menu Telegram shows next to the text box
    ("nhiemvu", "Nhiệm vụ của trường và hạn hoàn thành"),
    ("baocao", "Tổng hợp tiến độ (dành cho chuyên viên)"),
    ("giup", "Hướng dẫn trả lời tin nhắc"),
    ("hoantac", "Hủy lần ghi nhận vừa rồi"),
    ("lienket", "Xem tài khoản đã liên kết"),
    ("huylienket", "Hủy liên kết tài khoản này"),
    ("web", "Mở bảng theo dõi trên web"),
]


FILE_LINK = "Tải tệp (liên kết có hạn, vui lòng không chuyển cho người khác):"


def with_no_files(text: str) -> str:
    """A message that carried a file, for a channel that cannot send files."""
    return f"{text}\n{NO_FILES}"


def with_file_link(text: str, url: str) -> str:
    """A message that carried a file, for a channel that cannot send files: a link to it."""
    return f"{text}\n{FILE_LINK} {url}"


def schools_listed(names: list[str], limit: int) -> str:
    """'MN-A, TH-B', or for a long list the first *limit* and 'và 9970 trường khác'."""
    more = f" và {len(names) - limit} trường khác" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more
