"""The Excel report: a summary sheet, one sheet per area and a school × task matrix, the
states coloured, headers frozen, filters on, widths fitted to Vietnamese text."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from handlers.dates import day_long, day_short
from handlers.reports.cells import BLUE, GREEN, GREY, LEGEND, ORANGE, RED, cell
from handlers.reports.summary import Summary
from handlers.reports.texts import counts_line
from storage.models import UnitKind
from storage.records import Status

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _fill(color: str) -> PatternFill:
    return PatternFill("solid", fgColor=color)


def _header(ws: Worksheet, row: int, values: list[str]) -> None:
    for col, value in enumerate(values, start=1):
        c = ws.cell(row, col, value)
        c.font, c.fill, c.border, c.alignment = BOLD, HEAD_FILL, BORDER, CENTER


def _widths(ws: Worksheet, widths: Sequence[float], first_row: int = 1) -> None:
    """Column widths, row heights that fit wrapped text, and printing on landscape pages
    one page wide."""
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in ws.iter_rows(min_row=first_row):
        lines = 1
        for c in row:
            if isinstance(c.value, str) and c.column <= len(widths):
                lines = max(lines, math.ceil(len(c.value) * 1.1 / widths[c.column - 1]))
        if lines > 1 and row[0].row is not None:
            ws.row_dimensions[row[0].row].height = 15 * min(lines, 8)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    fit = ws.sheet_properties.pageSetUpPr or PageSetupProperties()
    fit.fitToPage = True
    ws.sheet_properties.pageSetUpPr = fit
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = f"{first_row}:{first_row}"


def _summary_sheet(ws: Worksheet, s: Summary) -> None:
    ws.title = "Tổng hợp"
    ws["A1"] = f"TỔNG HỢP TIẾN ĐỘ KẾ HOẠCH {s.plan.number}"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"{s.plan.title} — tính đến {day_long(s.today)}"
    ws["A3"] = f"Toàn kế hoạch: {counts_line(s.overall)}."
    _header(ws, 5, ["STT", "Mục", "Số lượt giao", "Hoàn thành đúng hạn", "Hoàn thành quá hạn",
                    "Chưa đến hạn", "Quá hạn chưa xong", "Tỷ lệ hoàn thành"])
    row = 6
    for n, (area, c) in enumerate(((a, c) for a, c in s.by_area if c.total), start=1):
        values: list[Any] = [n, f"{area.number}. {area.title}", c.total, c.on_time,
                                   c.late, c.pending, c.overdue,
                                   c.done / c.total if c.total else 0]
        for col, v in enumerate(values, start=1):
            cl = ws.cell(row, col, v)
            cl.border, cl.alignment = BORDER, WRAP
        ws.cell(row, 8).number_format = "0%"
        row += 1
    ws.freeze_panes = "A6"
    ws.auto_filter.ref = f"A5:H{row - 1}"
    row += 1
    ws.cell(row, 1, "Chú thích màu:").font = BOLD
    for color, label in LEGEND:
        row += 1
        ws.cell(row, 1).fill = _fill(color)
        ws.cell(row, 2, label)
    _widths(ws, [6, 60, 12, 14, 14, 12, 14, 12], first_row=5)


def _matrix(ws: Worksheet, s: Summary, rows: list[Status], title: str) -> None:
    ws.title = title[:31]
    positions = {r.task.code: r.task.position for r in rows}
    codes = sorted(positions, key=positions.__getitem__)
    units = []
    for r in rows:
        if r.unit not in units:
            units.append(r.unit)
    _header(ws, 1, ["Mã đơn vị", "Đơn vị", "Loại", *codes, "Hoàn thành"])
    ws.row_dimensions[1].height = 30
    by_key = {(r.unit.id, r.task.code): r for r in rows}
    for i, unit in enumerate(units, start=2):
        kind = "Phòng" if unit.kind == UnitKind.OFFICE else unit.kind.value
        for col, v in enumerate([unit.code, unit.name, kind], start=1):
            ws.cell(i, col, v).border = BORDER
        done = 0
        for j, code in enumerate(codes, start=4):
            status = by_key.get((unit.id, code))
            c = ws.cell(i, j)
            c.border, c.alignment = BORDER, CENTER
            if status is None:
                continue
            text, color = cell(status, s.today)
            c.value, c.fill = text, _fill(color)
            done += color in (GREEN, ORANGE)
        total = sum(1 for code in codes if (unit.id, code) in by_key)
        pc = ws.cell(i, 4 + len(codes), done / total if total else 0)
        pc.number_format, pc.border = "0%", BORDER
    ws.freeze_panes = "D2"
    last = get_column_letter(4 + len(codes))
    ws.auto_filter.ref = f"A1:{last}{len(units) + 1}"
    _widths(ws, [15, 34, 8] + [11] * len(codes) + [12])


def _area_sheet(ws: Worksheet, s: Summary, rows: list[Status], number: int) -> None:
    """An area: one row per task × school with the record's details."""
    ws.title = f"Mục {number}"
    _header(ws, 1, ["Mã NV", "Nội dung công việc", "Hạn", "Mã đơn vị", "Đơn vị", "Trạng thái",
                    "Tiến độ", "Ghi chú / khó khăn", "Minh chứng"])
    for i, r in enumerate(rows, start=2):
        text, color = cell(r, s.today)
        a = r.assignment
        values: list[Any] = [r.task.code, r.task.content, day_short(r.task.due_on),
                                   r.unit.code, r.unit.name, text, a.percent / 100, a.note,
                                   a.evidence]
        for col, v in enumerate(values, start=1):
            c = ws.cell(i, col, v)
            c.border, c.alignment = BORDER, WRAP
        ws.cell(i, 6).fill = _fill(color)
        ws.cell(i, 7).number_format = "0%"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:I{len(rows) + 1}"
    _widths(ws, [8, 50, 11, 15, 32, 12, 9, 30, 25])


BIG = 20_000  # assignments above which the file is streamed, without per-area detail


def _write_big(s: Summary, path: Path) -> Path:
    """A city-sized report: summary and matrix streamed (openpyxl write-only mode), so
    time and memory stay bounded; per-area detail is left to `/baocao muc N xlsx`."""
    book = Workbook(write_only=True)
    summary = book.create_sheet("Tổng hợp")
    summary.column_dimensions["A"].width = 6
    summary.column_dimensions["B"].width = 60
    summary.append([f"TỔNG HỢP TIẾN ĐỘ KẾ HOẠCH {s.plan.number}"])
    summary.append([f"{s.plan.title} — tính đến {day_long(s.today)}"])
    summary.append([f"Toàn kế hoạch: {counts_line(s.overall)}."])
    summary.append(["Danh sách chi tiết theo mục: dùng /baocao muc N xlsx (kế hoạch này có "
                    f"{s.overall.total:,} lượt việc)."])
    summary.append(["STT", "Mục", "Số lượt giao", "Hoàn thành đúng hạn", "Hoàn thành quá hạn",
                    "Chưa đến hạn", "Quá hạn chưa xong"])
    for n, (area, c) in enumerate(((a, c) for a, c in s.by_area if c.total), start=1):
        summary.append([n, f"{area.number}. {area.title}", c.total, c.on_time, c.late,
                        c.pending, c.overdue])
    matrix = book.create_sheet("Ma trận trường × nhiệm vụ")
    positions = {r.task.code: r.task.position for r in s.rows}
    codes = sorted(positions, key=positions.__getitem__)
    for i, width in enumerate([15, 34, 8] + [11] * len(codes) + [12], start=1):
        matrix.column_dimensions[get_column_letter(i)].width = width
    matrix.freeze_panes = "D2"
    matrix.auto_filter.ref = f"A1:{get_column_letter(4 + len(codes))}{len(s.units) + 1}"
    head = []
    for value in ["Mã đơn vị", "Đơn vị", "Loại", *codes, "Hoàn thành"]:
        title = WriteOnlyCell(matrix, value)
        title.font, title.fill = BOLD, HEAD_FILL
        head.append(title)
    matrix.append(head)
    fills = {color: _fill(color) for color in (GREEN, ORANGE, BLUE, RED, GREY)}
    column = {code: i for i, code in enumerate(codes)}
    rows_of: dict[int, list[Status]] = {}
    for r in s.rows:
        rows_of.setdefault(r.unit.id or 0, []).append(r)
    for unit in s.units:
        cells: list[Cell | None] = [None] * len(codes)
        done = 0
        for r in rows_of.get(unit.id, []):
            text, color = cell(r, s.today)
            mark = WriteOnlyCell(matrix, text)
            mark.fill = fills[color]
            cells[column[r.task.code]] = mark
            done += color in (GREEN, ORANGE)
        total = len(rows_of.get(unit.id, [])) or 1
        kind = "Phòng" if unit.kind == UnitKind.OFFICE else unit.kind.value
        share = WriteOnlyCell(matrix, done / total)
        share.number_format = "0%"
        matrix.append([unit.code, unit.name, kind, *cells, share])
    book.save(path)
    return path


def write_xlsx(s: Summary, path: Path) -> Path:
    if s.overall.total > BIG:
        return _write_big(s, path)
    book = Workbook()
    first = book.active
    assert isinstance(first, Worksheet)  # a new workbook's one sheet
    _summary_sheet(first, s)
    _matrix(book.create_sheet(), s, s.rows, "Ma trận trường × nhiệm vụ")
    area_numbers = {a.id: a.number for a, _ in s.by_area}
    for area, c in s.by_area:
        if c.total:
            rows = [r for r in s.rows if area_numbers.get(r.task.area_id) == area.number]
            _area_sheet(book.create_sheet(), s, rows, area.number)
    book.save(path)
    return path
