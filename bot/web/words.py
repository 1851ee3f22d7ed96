"""Every word the web pages show that is not a record's own text (the templates take
their headings and labels from here)."""

from __future__ import annotations

from handlers.reports.labels import legend
from storage.models import UnitKind, Verdict
from storage.verdict import VERDICT_NAMES

TITLE = "Bảng theo dõi nhiệm vụ"
MATRIX = "Ma trận tiến độ"
BOARD = "Nộp báo cáo định kỳ"
SCHOOL = "Nhiệm vụ của trường"
REFUSED_TITLE = "Không mở được trang"
REFUSED = ("Liên kết không hợp lệ, đã hết hạn hoặc thầy/cô không có quyền xem trang này. "
           "Vui lòng gõ /web trong khung chat với bot để nhận liên kết mới.")
BAD_FORM = ("Biểu mẫu đã hết hạn. Vui lòng tải lại trang rồi gửi lại; chưa có thay đổi nào "
            "được lưu.")
NO_PLAN = "Hiện chưa có kế hoạch nào được nạp vào hệ thống."
TG_LOADING = "Đang mở bảng theo dõi…"
TG_OUTSIDE = ("Trang này cần được mở từ Telegram (nút “Bảng theo dõi” hoặc lệnh /web). "
              "Trên Zalo, vui lòng gõ /web để nhận liên kết.")
UPLOAD_TOO_BIG = "Tệp quá lớn (tối đa 10 MB). Chưa có thay đổi nào được lưu."
UPLOAD_KIND = "Chỉ nhận ảnh (JPG, PNG), PDF, Word hoặc Excel. Chưa có thay đổi nào được lưu."
FORM_EMPTY = "Vui lòng chọn nhiệm vụ và tình trạng (hoặc đính kèm tệp minh chứng)."

FILTER_ALL = "Tất cả"
FILTERS = {"area": "Mục", "kind": "Loại trường", "ward": "Phường", "verdict": "Kết quả",
           "period": "Kỳ báo cáo"}
APPLY = "Lọc"
CLEAR = "Bỏ lọc"
DOWNLOADS = "Tải báo cáo theo bộ lọc"
DOWNLOADS_ALL_VERDICTS = ("Tệp tải về theo các bộ lọc khác nhưng gồm mọi kết quả; bộ lọc “Kết quả” "
                          "chỉ áp dụng cho bảng trên trang.")
FILE_NAMES = {"xlsx": "Excel (.xlsx)", "docx": "Word (.docx)", "png": "Biểu đồ (.png)"}
UNIT = "Đơn vị"
TOTAL = "Cộng"
DONE_OF = "đã xong"
OVERDUE = "quá hạn"
AS_OF = "Tính đến"
UNITS_FOUND = "đơn vị"
PAGE = "Trang"
PREVIOUS = "‹ Trước"
NEXT = "Sau ›"
NOTHING = "Không có đơn vị nào khớp với bộ lọc."
SHOW_SCHOOL = "Xem trang của trường"

KINDS = {UnitKind.OFFICE: "Phòng GD&ĐT", UnitKind.MN: "Mầm non", UnitKind.TH: "Tiểu học",
         UnitKind.THCS: "THCS", UnitKind.PT: "Phổ thông nhiều cấp"}
VERDICTS = {v: VERDICT_NAMES[v].capitalize() for v in Verdict}
LEGEND_ITEMS = [(tint, word) for _, tint, word in legend()]  # the Excel and Word legend
NOT_ASSIGNED = "Không giao cho đơn vị này"

BOARD_PERIOD = "Kỳ báo cáo"
BOARD_DUE = "Hạn nộp"
BOARD_SUBMITTED = "Đã nộp"
BOARD_LATE = "nộp muộn"
BOARD_MISSING = "Chưa nộp"
BOARD_WHEN = "Thời điểm nộp"

TASK = "Nhiệm vụ"
DUE = "Hạn"
STATE = "Tình trạng"
EVIDENCE = "Minh chứng"
HISTORY = "Lịch sử cập nhật"
NO_HISTORY = "Chưa có cập nhật nào."
TELEGRAM_FILE = "Tệp gửi qua Telegram"
UPLOADED_FILE = "Tệp tải lên"
OPEN_LINK = "Mở liên kết"
REPORTS = "Báo cáo định kỳ"
SUBMITTED_AT = "đã nộp lúc"
NOT_SUBMITTED = "chưa nộp"

UPDATE = "Cập nhật nhiệm vụ"
UPDATE_HINT = ("Cập nhật ở đây có tác dụng như trả lời tin nhắc trong chat; hệ thống xác "
               "nhận lại như trong chat và có thể hoàn tác.")
FORM_TASK = "Nhiệm vụ"
FORM_STATE = "Tình trạng"
FORM_PERCENT = "Phần trăm (nếu đang làm)"
FORM_NOTE = "Lý do (nếu gặp khó khăn)"
FORM_FILE = "Tệp minh chứng (không bắt buộc)"
FILE_CHOOSE = "Chọn tệp…"
FILE_NONE = "Chưa chọn tệp"
FORM_SEND = "Gửi cập nhật"
STATES = {"done": "Đã hoàn thành", "progress": "Đang thực hiện", "blocked": "Gặp khó khăn",
          "": "Chỉ gửi minh chứng cho lần cập nhật vừa rồi"}
ANSWER = "Hệ thống trả lời"
LOGGED_IN_AS = "Đăng nhập:"
ROLES = {"principal": "Hiệu trưởng", "staff": "Chuyên viên", "admin": "Quản trị"}
