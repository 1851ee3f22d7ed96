"""Build the public test corpus: plan appendices shaped like the files offices hand over.

Run `python3 tests/storage/files/corpus/make_corpus.py` to rebuild the .docx and .xlsx files
next to this script (they are committed too, so the tests never depend on this script).
The shapes follow public plans of a ministry, a provincial Sở, a ward office and a school:
several tables under group headings, Roman-numeral areas with tasks numbered straight
through, a) b) items, unnumbered rows, cells merged down, repeated header rows, note rows,
day ranges, month/year, bare years, ongoing and on-request words, and one printed typo.
The units named are fictional; the rosters (roster-*.csv) and phrase maps (map-*.yaml)
beside them are what each office would keep.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Alignment

HERE = Path(__file__).parent
SAMPLE = HERE.parents[3] / "storage" / "data" / "plan-2024.yaml"


# --- helpers ------------------------------------------------------------------------------

def _docx_head(doc: Any, left: str, right: str) -> None:
    """The two-column header block of a Vietnamese administrative document."""
    head = doc.add_table(rows=1, cols=2)
    head.cell(0, 0).text = left
    head.cell(0, 1).text = right


def _docx_table(doc: Any, header: list[str], rows: list[list[str]],
                merges: list[tuple[int, int, int, int]] = ()) -> Any:
    """A table with *header* on top; *merges* are (row, col, row2, col2) over the body rows
    (row 0 is the first body row), with the text of the top-left cell kept."""
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    for i, h in enumerate(header):
        table.cell(0, i).text = h
    for r, values in enumerate(rows, start=1):
        for c, v in enumerate(values):
            if v:
                table.cell(r, c).text = v
    for r1, c1, r2, c2 in merges:
        keep = table.cell(r1 + 1, c1).text
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    table.cell(r + 1, c).text = ""
        merged = table.cell(r1 + 1, c1).merge(table.cell(r2 + 1, c2))
        merged.text = keep
    return table


def _sheet_rows(sheet: Any, rows: list[list[str]]) -> int:
    """Append rows; return the sheet row number of the first one."""
    first = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value else 1
    for r in rows:
        sheet.append([v if v != "" else None for v in r])
    for row in sheet.iter_rows(min_row=first):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return first


def _merge(sheet: Any, row: int, col: int, row2: int, col2: int) -> None:
    """Merge like Excel does: only the top-left cell keeps its value."""
    for r in range(row, row2 + 1):
        for c in range(col, col2 + 1):
            if (r, c) != (row, col):
                sheet.cell(r, c).value = None
    sheet.merge_cells(start_row=row, start_column=col, end_row=row2, end_column=col2)


# --- 1. A ministry: several tables under group headings, numbering restarting ---------

def ministry() -> None:
    doc = Document()
    _docx_head(doc, "BỘ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 1135/KH-BGDĐT",
               "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
               "Hà Nội, ngày 25 tháng 3 năm 2019")
    doc.add_paragraph("KẾ HOẠCH")
    doc.add_paragraph("Tổ chức Kỳ thi trung học phổ thông quốc gia năm 2019")
    doc.add_paragraph("Căn cứ Quy chế thi, Bộ Giáo dục và Đào tạo ban hành kế hoạch như sau:")
    header = ["TT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp",
              "Thời gian thực hiện"]
    doc.add_paragraph("I. CÔNG TÁC CHUẨN BỊ")
    _docx_table(doc, header, [
        ["1", "Rà soát, cập nhật phần mềm quản lý thi", "Cục Công nghệ thông tin",
         "Cục Quản lý chất lượng", "01-12/4/2019"],
        ["2", "Tập huấn nghiệp vụ thi cho cán bộ các Sở", "Cục Quản lý chất lượng",
         "Các Sở GD&ĐT", "27/4 - 19/5/2019"],
        ["3", "Kiểm tra công tác chuẩn bị thi tại các địa phương", "Cục Quản lý chất lượng",
         "Vụ Giáo dục Trung học; Bộ Quốc phòng", "25/4- 01/5/2019"],
    ])
    doc.add_paragraph("II. TỔ CHỨC THI")
    _docx_table(doc, header, [
        ["1", "Thành lập các đoàn thanh tra thi", "Thanh tra Bộ", "Văn phòng Bộ",
         "Tháng 6/2019"],
        ["2", "Bảo đảm an ninh, an toàn kỳ thi", "Văn phòng Bộ", "Bộ Công an, Bộ Quốc phòng",
         "Trước ngày 30/6/2019"],
    ])
    doc.add_paragraph("III. CÔNG TÁC THÔNG TIN, TRUYỀN THÔNG")
    _docx_table(doc, header, [
        ["1", "Thông tin kịp thời về kỳ thi trên Cổng thông tin điện tử của Bộ",
         "Văn phòng Bộ", "Cục Công nghệ thông tin", "Nhiệm vụ thường xuyên"],
    ])
    doc.add_paragraph("Nơi nhận: Các Sở GD&ĐT; Lưu: VT, Cục QLCL.")
    doc.save(str(HERE / "bo-2019-ky-thi.docx"))


# --- 2. A Sở in Excel: Roman areas, tasks 1. … straight through, a) b), merged down ------

def province_xlsx() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Phụ lục"
    _sheet_rows(sheet, [
        ["UBND TỈNH LÀO CAI", "", "", "", "", ""],
        ["SỞ GIÁO DỤC VÀ ĐÀO TẠO", "", "", "", "", ""],
        ["PHỤ LỤC", "", "", "", "", ""],
        ["NHIỆM VỤ CHUYỂN ĐỔI SỐ NGÀNH GIÁO DỤC NĂM 2025", "", "", "", "", ""],
        ["(Kèm theo Kế hoạch số 215/KH-SGDĐT ngày 10/01/2025 của Sở GD&ĐT)", "", "", "", "",
         ""],
    ])
    header = ["TT", "Tên nhiệm vụ", "Cơ quan\nchủ trì", "Đơn vị\nphối hợp",
              "Thời gian\nhoàn thành", "Ghi chú"]
    numbering = ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]
    top = _sheet_rows(sheet, [header, numbering])
    body = _sheet_rows(sheet, [
        ["I", "CHUYỂN ĐỔI SỐ TRONG QUẢN LÝ", "", "", "", ""],
        ["1.", "Xây dựng kho dữ liệu dùng chung của ngành", "Phòng Kế hoạch - Tài chính",
         "Văn phòng Sở", "6/2025", ""],
        ["2.", "Cập nhật cơ sở dữ liệu ngành đầu năm", "Các trường THPT",
         "Phòng Giáo dục Trung học", "01/2025", ""],
        ["3.", "Triển khai học bạ số", "", "", "2026", "Theo lộ trình của Bộ"],
        ["4.", "Tổ chức hội thảo chuyển đổi số:", "", "", "", ""],
        ["a)", "Cấp tỉnh", "Văn phòng Sở", "", "Theo kế hoạch của Bộ", ""],
        ["b)", "Tại trường", "Trường THPT Lê Hồng Phong", "Phòng Giáo dục Trung học",
         "Tháng 10/2025", ""],
    ])
    _merge(sheet, body, 2, body, 6)  # area I across
    _merge(sheet, body + 2, 3, body + 3, 3)  # lead of tasks 2–3 merged down
    _merge(sheet, body + 2, 4, body + 3, 4)  # partners of tasks 2–3 merged down
    # The header printed again at the top of the next page.
    _sheet_rows(sheet, [header])
    rest = _sheet_rows(sheet, [
        ["II", "CHUYỂN ĐỔI SỐ TRONG DẠY VÀ HỌC", "", "", "", ""],
        ["5.", "Bồi dưỡng kỹ năng số cho giáo viên", "Phòng Giáo dục Trung học",
         "Các trường THPT", "Quý III/2025", ""],
        ["6.", "Phát triển thư viện số dùng chung", "Trường THPT số 1 Lào Cai",
         "Trường THPT Bắc Hà", "Nhiệm vụ thường xuyên", ""],
        ["Ghi chú: các đơn vị báo cáo kết quả về Văn phòng Sở trước ngày 20 hằng tháng.",
         "", "", "", "", ""],
    ])
    _merge(sheet, rest, 2, rest, 6)
    _merge(sheet, rest + 3, 1, rest + 3, 6)
    del top
    book.save(HERE / "so-2025-chuyen-doi-so.xlsx")


# --- 3. A Sở in Word: headers Hoạt động / Tiến độ, area titles alone, unnumbered rows ---

def province_docx() -> None:
    doc = Document()
    _docx_head(doc, "UBND TỈNH LÀO CAI\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 480/KH-SGDĐT",
               "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
               "Lào Cai, ngày 20 tháng 02 năm 2025")
    doc.add_paragraph("KẾ HOẠCH")
    doc.add_paragraph("Công tác giáo dục thể chất và thể thao trường học năm 2025")
    doc.add_paragraph("Phụ lục: Các hoạt động cụ thể")
    _docx_table(doc, ["STT", "Hoạt động", "Đơn vị chủ trì", "Đơn vị phối hợp", "Tiến độ",
                      "Sản phẩm"], [
        ["", "Hoạt động chung", "", "", "", ""],
        ["", "Xây dựng kế hoạch thể thao trường học năm 2025", "Sở GD&ĐT",
         "Phòng Giáo dục Trung học", "Tháng 3/2025", "Kế hoạch"],
        ["", "Tổ chức Hội khỏe Phù Đổng cấp tỉnh", "Phòng Giáo dục Trung học",
         "Các trường THPT", "15/5 - 30/5/2025", "Báo cáo tổng kết"],
        ["", "Duy trì hoạt động câu lạc bộ thể thao", "Các trường THPT", "",
         "Nhiệm vụ thường xuyên", ""],
        ["", "Kiểm tra, đánh giá", "", "", "", ""],
        ["", "Kiểm tra cơ sở vật chất thể thao", "Văn phòng Sở", "Phòng Kế hoạch - Tài chính",
         "", "Biên bản"],
        ["", "Báo cáo đột xuất về công tác thể thao", "Phòng Giáo dục Trung học", "",
         "Theo yêu cầu", "Báo cáo"],
    ], merges=[(0, 1, 0, 5), (4, 1, 4, 5)])
    doc.add_paragraph("GIÁM ĐỐC")
    doc.add_paragraph("Hoàng Văn Bình")
    doc.save(str(HERE / "so-2025-the-thao.docx"))


# --- 4. A ward's office in Excel: named schools, a named kindergarten, the traps ---------

def ward() -> None:
    book = Workbook()
    sheet = book.active
    _sheet_rows(sheet, [
        ["UBND PHƯỜNG SA PA", "", "", "", "", ""],
        ["PHÒNG VĂN HÓA - XÃ HỘI", "", "", "", "", ""],
        ["KẾ HOẠCH PHÒNG, CHỐNG DỊCH BỆNH TRONG TRƯỜNG HỌC NĂM 2025", "", "", "", "", ""],
        ["", "", "", "", "", ""],
        ["STT", "Nội dung", "Đơn vị thực hiện", "Phối hợp", "Thời gian", "Ghi chú"],
    ])
    first = _sheet_rows(sheet, [
        ["1", "Tuyên truyền phòng, chống dịch bệnh", "", "", "", ""],
        ["1.1", "Treo áp phích tuyên truyền tại cổng trường", "Các trường MN, TH, THCS",
         "Trạm Y tế phường", "Tháng 3/2025", ""],
        ["1.2", "Tổ chức ngày hội vệ sinh tay cho trẻ", "Trường Mầm non Hoa Sen",
         "Phòng Văn hóa - Xã hội", "Trước 15/4", ""],
        ["2", "Bảo đảm điều kiện vệ sinh", "", "", "", ""],
        ["2.1", "Kiểm tra nhà vệ sinh, nguồn nước", "Phòng Văn hóa - Xã hội",
         "Trường PTDTBT TH&THCS Bản Máy", "Hằng năm", ""],
        ["2.2", "Bổ sung tủ thuốc, dụng cụ y tế", "Các trường được giao nhiệm vụ",
         "UBND phường", "Khi có văn bản", ""],
    ])
    _merge(sheet, first, 2, first, 6)
    _merge(sheet, first + 3, 2, first + 3, 6)
    book.save(HERE / "phuong-2025-phong-dich.xlsx")


# --- 5. A school: school-year plan, months merged down, unnumbered, tổ chuyên môn --------

def school() -> None:
    doc = Document()
    _docx_head(doc, "UBND PHƯỜNG SA PA\nTRƯỜNG TIỂU HỌC KIM ĐỒNG\nSố: 45/KH-THKĐ",
               "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
               "Sa Pa, ngày 12 tháng 9 năm 2024")
    doc.add_paragraph("KẾ HOẠCH")
    doc.add_paragraph("Hoạt động chuyên môn năm học 2024-2025")
    doc.add_paragraph("KẾ HOẠCH CỤ THỂ TỪNG THÁNG")
    _docx_table(doc, ["Thời gian", "Nội dung công việc", "Người thực hiện", "Ghi chú"], [
        ["Tháng 9", "Xây dựng kế hoạch dạy học các môn", "Tổ chuyên môn", ""],
        ["", "Khảo sát chất lượng đầu năm", "Ban giám hiệu", ""],
        ["Tháng 10", "Thao giảng chào mừng 20/10", "Tổ khối 4-5", ""],
        ["Tháng 12", "Kiểm tra định kỳ cuối học kỳ I", "Tổ chuyên môn", "Theo lịch của Phòng"],
        ["Tháng 1", "Sơ kết học kỳ I", "Ban giám hiệu", "Tổ Văn phòng"],
        ["Tháng 3 - 4", "Hội thi giáo viên dạy giỏi cấp trường", "Tổ khối 1, Tổ khối 2-3", ""],
        ["Tháng 5", "Tổng kết năm học", "Ban giám hiệu", ""],
        ["Cả năm học", "Bồi dưỡng học sinh năng khiếu", "Tổ chuyên môn", ""],
    ], merges=[(0, 0, 1, 0)])
    doc.add_paragraph("HIỆU TRƯỞNG")
    doc.add_paragraph("Lò Thị Mai")
    doc.save(str(HERE / "truong-2024-2025-chuyen-mon.docx"))


# --- 6, 7. The 2024 sample typed in Word and in Excel -------------------------------------

SAMPLE_HEADER = ["STT", "Nội dung công việc", "Đơn vị thực hiện", "Sản phẩm",
                 "Thời gian hoàn thành", "Ghi chú"]


def _sample() -> dict[str, Any]:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def _task_row(t: dict[str, Any]) -> list[str]:
    return [str(t["code"]), t["content"], t["units"], t.get("product") or "",
            t["deadline"], t.get("notes") or ""]


def sample_docx() -> None:
    data = _sample()
    doc = Document()
    _docx_head(doc, "UBND QUẬN HẢI AN\nPHÒNG GIÁO DỤC VÀ ĐÀO TẠO\nSố: 06/KH-PGDĐT",
               "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
               "Hải An, ngày 07 tháng 02 năm 2024")
    doc.add_paragraph("KẾ HOẠCH")
    doc.add_paragraph("Cải cách hành chính nhà nước ngành Giáo dục và Đào tạo năm 2024")
    doc.add_paragraph("PHỤ LỤC: NHIỆM VỤ CỤ THỂ")
    rows: list[list[str]] = []
    merges = []
    for area in data["areas"]:
        merges.append((len(rows), 1, len(rows), 5))  # "1" in STT, the title merged across
        rows.append([str(area["number"]), area["title"], "", "", "", ""])
        rows += [_task_row(t) for t in area["tasks"]]
    _docx_table(doc, SAMPLE_HEADER, rows, merges)
    doc.add_paragraph("TRƯỞNG PHÒNG")
    doc.add_paragraph("Nguyễn Thị Minh Thu")
    doc.save(str(HERE / "ke-hoach-2024-word.docx"))


def sample_xlsx() -> None:
    data = _sample()
    book = Workbook()
    sheet = book.active
    _sheet_rows(sheet, [["PHỤ LỤC: NHIỆM VỤ CỤ THỂ CẢI CÁCH HÀNH CHÍNH NĂM 2024"],
                        ["STT", "Nội dung\ncông việc", "Đơn vị\nthực hiện", "Sản phẩm",
                         "Thời gian\nhoàn thành", "Ghi chú"]])
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    for area in data["areas"]:
        _sheet_rows(sheet, [[roman[area["number"] - 1], area["title"], "", "", "", ""]])
        _sheet_rows(sheet, [_task_row(t) for t in area["tasks"]])
    book.save(HERE / "ke-hoach-2024-excel.xlsx")


# --- 8. A printed typo: refused, naming its row ------------------------------------------

def typo() -> None:
    book = Workbook()
    sheet = book.active
    _sheet_rows(sheet, [
        ["KẾ HOẠCH KIỂM TRA NỘI BỘ NĂM 2025"],
        ["STT", "Nội dung công việc", "Đơn vị thực hiện", "Thời gian hoàn thành"],
        ["1", "Kiểm tra nội bộ", "", ""],
        ["1.1", "Kiểm tra hồ sơ chuyên môn", "Phòng GD&ĐT", "Tháng 3/2025"],
        ["1.2", "Tổng kết công tác kiểm tra", "Phòng GD&ĐT", "Tháng 12/1019"],
    ])
    book.save(HERE / "loi-nam-in-2025.xlsx")


# --- 9. A table whose content column is missing -------------------------------------------

def missing_column() -> None:
    doc = Document()
    doc.add_paragraph("KẾ HOẠCH")
    doc.add_paragraph("Kiểm tra chuyên đề năm 2025")
    _docx_table(doc, ["TT", "Đơn vị thực hiện", "Thời gian thực hiện", "Ghi chú"], [
        ["1", "Phòng GD&ĐT", "Tháng 4/2025", ""],
    ])
    doc.save(str(HERE / "thieu-cot-noi-dung-2025.docx"))


def main() -> None:
    for build in (ministry, province_xlsx, province_docx, ward, school, sample_docx,
                  sample_xlsx, typo, missing_column):
        build()


if __name__ == "__main__":
    main()
