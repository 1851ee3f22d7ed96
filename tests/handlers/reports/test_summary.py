"""`/baocao` numbers against hand-computed fixtures, every filter, and the report files."""

from datetime import datetime

import pytest
from docx import Document
from openpyxl import load_workbook

from handlers.messages import split_text
from tests.handlers.conftest import TZ


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def records(linked, clock):  # noqa: ANN201
    """MN-CATBI: 1.1 and 1.2 on time (20/2). TH-CATBI: 1.1 late and 2.1 (10/3).
    THCS-CATBI: 1.1 blocked. TH-CATBI submitted the Q1 report. The office inspected one
    school. Staff reads on 2/4/2024."""
    mn, th, thcs = linked("MN-CATBI"), linked("TH-CATBI"), linked("THCS-CATBI")
    staff = linked("PGD")
    clock.now = at("2024-02-20 10:00")
    mn.say("xong 1.1, 1.2")
    clock.now = at("2024-03-10 10:00")
    th.say("xong 1.1 và 2.1")
    thcs.say("1.1 gặp khó khăn: thiếu kinh phí")
    th.say("đã nộp báo cáo quý I")
    staff.say("/kiemtra TH-CATBI 12/3")
    clock.now = at("2024-04-02 09:00")
    return staff


def test_whole_plan_numbers(records) -> None:
    text = records.say("/baocao")
    # due by 2/4: 1.1 and 1.2 × 26 units + 1.3 (office) = 53; done on time 2 of them (MN),
    # late 1 (TH 1.1); 2.1 of TH is done on time but not yet due.
    assert ("Toàn kế hoạch: đã hoàn thành 4/371 (1%): hoàn thành đúng hạn 3, hoàn thành quá "
            "hạn 1; chưa đến hạn (đang thực hiện) 317; quá hạn chưa hoàn thành 50.") in text
    assert "1. Công tác lãnh đạo, chỉ đạo, tuyên truyền và kiểm tra, giám sát việc thực hiện " \
           "CCHC — 3/53 (6%); quá hạn chưa hoàn thành 50" in text
    assert "• TH-CATBI Trường Tiểu học Cát Bi — 2/14 (14%); quá hạn: 1.2" in text
    assert "Chưa trả lời (22 trường)" in text
    assert "Gặp khó khăn (1): THCS-CATBI 1.1 (thiếu kinh phí)." in text
    assert "Việc đã đến hạn được hoàn thành đúng hạn: 2/53 (4%; chỉ tiêu 100%)" in text
    assert "Trường đã được kiểm tra: 1/25 (4%; chỉ tiêu tối thiểu 30%)" in text
    assert "Báo cáo 6 tháng đầu năm 2024" in text  # the report owed next
    # … and the quarter-I report, overdue, stays owed until every school has submitted
    assert "Báo cáo quý I năm 2024 (hạn 25/3/2024, đã quá hạn 8 ngày): 1/25 trường đã nộp" \
        in text


def test_filter_by_task(records) -> None:
    text = records.say("/baocao 1.1")
    assert "Nhiệm vụ 1.1: Xây dựng kế hoạch cải cách hành chính năm 2024" in text
    assert "• MN-CATBI — Hoàn thành (hoàn thành đúng hạn)" in text
    assert "• TH-CATBI — Hoàn thành (hoàn thành quá hạn)" in text
    assert "• THCS-CATBI — Gặp khó khăn: thiếu kinh phí (quá hạn chưa hoàn thành)" in text
    assert text.count("\n• ") == 26


def test_filter_by_area_kind_and_school(records) -> None:
    assert "Theo mục:\n2. Cải cách thể chế — 1/78 (1%)" in records.say("/baocao muc 2")
    thcs = records.say("/baocao THCS")
    assert thcs.count("\n• THCS-") == 7 and "TH-CATBI" not in thcs
    school = records.say("/baocao TH Cat Bi")
    assert "Trường Tiểu học Cát Bi (TH-CATBI)" in school
    assert "Báo cáo 6 tháng đầu năm 2024: chưa nộp." in school
    assert "Báo cáo quý I năm 2024: đã nộp ngày 10/3/2024." not in school  # not owed
    assert "Trường Tiểu học Cát Bi (TH-CATBI)" in records.say("/baocao trường tiểu học cát bi")
    ambiguous = records.say("/baocao TH Đông Hải")
    assert "TH-DONGHAI1" in ambiguous and "TH-DONGHAI2" in ambiguous and "chọn" in ambiguous
    assert "Không tìm thấy" in records.say("/baocao Hà Nội")


def test_filter_by_period_overdue_and_silent(records) -> None:
    q1 = records.say("/baocao quy 1")
    assert "Kỳ: Báo cáo quý I năm 2024." in q1 and "Tính đến Chủ Nhật, ngày 31/3/2024." in q1
    assert "Báo cáo quý I năm 2024 (hạn 25/3/2024, đã quá hạn 6 ngày): 1/25 trường đã nộp." \
        in q1
    assert "• TH-CATBI Trường Tiểu học Cát Bi: đã nộp ngày 10/3/2024, đúng hạn" in q1
    assert "• MN-CATBI Trường Mầm non Cát Bi: chưa nộp — quá hạn 6 ngày" in q1
    late = records.say("/baocao quahan")
    assert "Quá hạn chưa hoàn thành: 25 đơn vị, 50 lượt việc." in late
    assert "• MN-CATBI" not in late and "• TH-CATBI Trường Tiểu học Cát Bi: 1.2" in late
    silent = records.say("/baocao chuatraloi")
    assert "Chưa trả lời (22 trường)" in silent and "TH-CATBI" not in silent


def test_excel_file(records) -> None:
    (message,) = records.send("/baocao xlsx")
    book = load_workbook(message.file)
    assert book.sheetnames == ["Tổng hợp", *(f"Mục {n}" for n in range(1, 8)), "Nộp báo cáo",
                               "Chi tiết"]
    matrix = book["Mục 1"]
    assert matrix.freeze_panes == "C5"
    header = [c.value for c in matrix[4]]
    rows = {r[0].value: r for r in matrix.iter_rows(min_row=5)}
    col = header.index("1.1\nhạn 29/2/2024")
    assert list(rows)[0] == "PGD"  # the office's own row first
    assert rows["MN-CATBI"][col].value == "Hoàn thành đúng hạn"
    assert rows["MN-CATBI"][col].fill.fgColor.rgb.endswith("A8E0CF")
    assert rows["TH-CATBI"][col].value == "Hoàn thành quá hạn"
    assert rows["THCS-CATBI"][col].value == "Quá hạn chưa hoàn thành · gặp khó khăn"
    assert rows["Tổng cộng"][col].value == "2/26" and rows["Tổng cộng"][col].font.b
    legend = [c.value for c in matrix[2] if c.value]
    assert legend == ["Chú thích:", "Hoàn thành đúng hạn", "Hoàn thành quá hạn",
                      "Chưa đến hạn (đang thực hiện)", "Đến hạn hôm nay",
                      "Quá hạn chưa hoàn thành"]


def test_word_file(records) -> None:
    (message,) = records.send("/baocao quy 1 docx")
    doc = Document(str(message.file))
    text = "\n".join(p.text for p in doc.paragraphs)
    header = "\n".join(c.text for c in doc.tables[0].rows[0].cells)
    assert "UBND QUẬN HẢI AN" in header and "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" in header
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header and "Độc lập - Tự do - Hạnh phúc" \
        in header
    assert "Số:       /BC-PGDĐT" in header and "Hải An, ngày 31 tháng 3 năm 2024" in header
    assert "BÁO CÁO" in text
    assert ("Kết quả thực hiện công tác cải cách hành chính nhà nước ngành Giáo dục và Đào tạo "
            "quý I năm 2024") in text
    assert "I. KẾT QUẢ THỰC HIỆN" in text and "III. TỒN TẠI, HẠN CHẾ" in text
    result = doc.tables[1]
    assert [c.text for c in result.rows[0].cells][:2] == ["STT", "Lĩnh vực"]
    assert result.rows[-1].cells[1].text == "Tổng cộng"
    signature = "\n".join(c.text for c in doc.tables[-2].rows[0].cells)
    assert "Nơi nhận:" in signature and "- Lưu: VT." in signature
    assert "TRƯỞNG PHÒNG" in signature and "Nguyễn Thị Minh Thu" in signature
    assert doc.sections[0].left_margin.mm == pytest.approx(30, abs=0.1)
    assert doc.styles["Normal"].font.name == "Times New Roman"


def test_chart_file(records) -> None:
    (message,) = records.send("/baocao png")
    data = message.file.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20000


def test_principals_cannot_read_reports(linked) -> None:
    assert "chỉ dành cho chuyên viên" in linked("TH-CATBI").say("/baocao")


@pytest.mark.parametrize("limit", [80, 200, 2000, 4096])
def test_long_text_is_split_between_lines(limit: int) -> None:
    lines = [f"• Dòng {i}: " + "nội dung " * (i % 7) for i in range(400)]
    text = "\n".join(lines)
    pieces = split_text(text, limit)
    assert all(len(p) <= limit for p in pieces)
    assert "\n".join(pieces) == text
    assert all(line in lines for p in pieces for line in p.split("\n"))


def test_a_line_longer_than_the_limit_is_cut_between_words() -> None:
    pieces = split_text("một " * 100, 60)
    assert all(len(p) <= 60 for p in pieces) and all(not p.startswith(" ") for p in pieces)


def test_large_plans_leave_out_the_detail_sheet(records, monkeypatch) -> None:
    monkeypatch.setattr("handlers.reports.xlsx.DETAIL_LIMIT", 10)  # as if this were a city
    (message,) = records.send("/baocao xlsx")
    book = load_workbook(message.file)
    assert "Chi tiết" not in book.sheetnames and "Mục 1" in book.sheetnames


def test_a_city_office_gets_an_answer_it_can_read_in_chat(records, monkeypatch) -> None:
    """Thousands of schools: the counts stay whole, the lists are cut with how many more
    and where to read them all (here the caps are lowered to the Hải An roster's size)."""
    from handlers.reports import texts

    monkeypatch.setattr(texts, "MAX_LINES", 5)
    monkeypatch.setattr(texts, "MAX_CODES", 4)
    text = records.say("/baocao")
    assert "Theo đơn vị: 26 đơn vị, quá nhiều để liệt kê trong tin nhắn — xem tệp " \
        "/baocao xlsx" in text
    assert "\n• MN-" not in text and "\n• TH-" not in text
    assert "Chưa trả lời (22 trường): " in text and " và 18 trường khác." in text
    assert "Quá hạn chưa hoàn thành: 25 đơn vị, 50 lượt việc." in text  # counts stay whole
    late = records.say("/baocao quahan")
    assert late.count("\n• ") == 5 and "… và 20 đơn vị khác — đầy đủ trong tệp /baocao xlsx." \
        in late
    q1 = records.say("/baocao quy 1")
    assert "1/25 trường đã nộp." in q1 and q1.count("\n• ") == 5
    assert "chưa nộp — quá hạn 6 ngày" in q1  # those still owing come first
    assert "… và 20 trường khác — đầy đủ trong tệp /baocao xlsx." in q1


def test_excel_rows_keep_their_own_cells(records) -> None:
    """The writer streams one cell object per repeated value and one per column for the
    codes and names: every row still shows its own unit, number, word and colour."""
    (message,) = records.send("/baocao xlsx")
    book = load_workbook(message.file)
    matrix = book["Mục 1"]
    width = sum(1 for c in matrix[4] if c.value)
    rows = list(matrix.iter_rows(min_row=5, max_row=matrix.max_row - 1, max_col=width))
    codes = [r[0].value for r in rows]
    assert len(codes) == len(set(codes)) == 26 and "TH-CATBI" in codes
    names = {r[0].value: r[1].value for r in rows}
    assert names["TH-CATBI"] == "Trường Tiểu học Cát Bi"
    assert all(c.border.left.style == "thin" for r in rows for c in r)
    assert {r[2].value for r in rows} >= {"Hoàn thành đúng hạn", "Hoàn thành quá hạn"}
    assert all(r[-1].number_format == "0%" for r in rows)
    board = book["Nộp báo cáo"]
    lines = [[c.value for c in r] for r in board.iter_rows(min_row=5, max_row=8)]
    assert [line[0] for line in lines] == [1, 2, 3, 4]
    assert lines[0][1:3] == ["TH-CATBI", "Trường Tiểu học Cát Bi"]
    assert lines[0][5] == "Nộp đúng hạn" and lines[1][5].startswith("Chưa nộp")
    assert len({line[1] for line in lines}) == 4
    first = board.cell(5, 6)
    assert first.fill.fgColor.rgb.endswith("A8E0CF")
    assert board.cell(5, 4).number_format == "DD/MM/YYYY"
