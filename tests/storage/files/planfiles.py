"""Plan files built the way offices write them: appendix tables with merged area rows."""

from __future__ import annotations

import csv
from pathlib import Path

HEADER = ["STT", "Nội dung công việc", "Đơn vị thực hiện", "Sản phẩm",
          "Thời gian hoàn thành", "Ghi chú"]
ROWS: list[list[str]] = [
    ["1", "Công tác chỉ đạo, điều hành", "", "", "", ""],
    ["1.1", "Xây dựng kế hoạch\ncải cách hành chính năm 2025",
     "Phòng GD&ĐT, các trường MN,\nTH, THCS", "Kế hoạch", "Tháng 1, 2", ""],
    ["1.2", "Kiểm tra công tác CCHC", "Phòng GD&ĐT", "Biên bản", "Quý II năm 2025", ""],
    ["2", "Cải cách thể chế", "", "", "", ""],
    ["2.1", "Rà soát văn bản", "Các trường MN", "Văn bản", "Thực hiện cả năm 2025",
     "ghi chú thử"],
]


def write_csv(path: Path, rows: list[list[str]] = ROWS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([HEADER, *rows])
    return path


def write_xlsx(path: Path, rows: list[list[str]] = ROWS) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["PHỤ LỤC: NHIỆM VỤ CỤ THỂ"])
    sheet.append(HEADER)
    for r in rows:
        sheet.append(r)
        if r[0].isdigit():  # an area row: its title merged across the table
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row,
                              end_column=6)
            sheet.cell(sheet.max_row, 1).value = f"{r[0]}. {r[1]}"
    book.save(path)
    return path


def write_docx(path: Path, rows: list[list[str]] = ROWS) -> Path:
    from docx import Document

    doc = Document()
    header = doc.add_table(rows=1, cols=2)
    header.cell(0, 0).text = "UBND QUẬN HẢI AN\nPHÒNG GIÁO DỤC VÀ ĐÀO TẠO\nSố: 12/KH-PGDĐT"
    header.cell(0, 1).text = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                              "Hải An, ngày 15 tháng 01 năm 2025")
    doc.add_paragraph("KẾ HOẠCH")
    doc.add_paragraph("Cải cách hành chính năm 2025")
    table = doc.add_table(rows=1, cols=6)
    for i, h in enumerate(HEADER):
        table.cell(0, i).text = h
    for r in rows:
        cells = table.add_row().cells
        if r[0].isdigit():
            merged = cells[0].merge(cells[5])
            merged.text = f"{r[0]}. {r[1]}"
        else:
            for i, v in enumerate(r):
                cells[i].text = v
    doc.save(str(path))
    return path
