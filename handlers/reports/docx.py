"""The Word report in the Vietnamese administrative layout (Nghị định 30/2020/NĐ-CP):
header block, number and date line, title, sections, result tables, signature block —
ready for staff to edit, sign and send."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from handlers.dates import day_admin, day_short
from handlers.reports.summary import Summary
from handlers.reports.texts import percent
from storage.files.unitkinds import KIND_NAMES
from storage.issuer import profile_of
from storage.models import UnitKind
from storage.textnorm import fold

FONT = "Times New Roman"


def _font(run: Any, size: float, bold: bool = False, italic: bool = False) -> None:
    run.font.name, run.font.size, run.bold, run.italic = FONT, Pt(size), bold, italic
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _para(container: Any, text: str = "", size: float = 14, bold: bool = False,
          italic: bool = False, align: int | None = None, indent: bool = False,
          after: float = 6) -> Paragraph:
    p = container.add_paragraph()
    if text:
        _font(p.add_run(text), size, bold, italic)
    fmt = p.paragraph_format
    fmt.space_after, fmt.space_before, fmt.line_spacing = Pt(after), Pt(0), 1.15
    if align is not None:
        p.alignment = align
    if indent:
        fmt.first_line_indent = Cm(1.27)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    return p  # type: ignore[no-any-return]  # python-docx has no type hints


def _cell_para(cell: Any, text: str, size: float, bold: bool = False,
               italic: bool = False, align: int = WD_ALIGN_PARAGRAPH.CENTER) -> Paragraph:
    p = cell.paragraphs[0] if not cell.paragraphs[0].text and len(cell.paragraphs) == 1 \
        and not cell.paragraphs[0].runs else cell.add_paragraph()
    _font(p.add_run(text), size, bold, italic)
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    return p  # type: ignore[no-any-return]  # python-docx has no type hints


def _widths(table: Table, widths_cm: list[float]) -> None:
    """Fixed column widths that Word and LibreOffice both honour (grid and cells)."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.iter(qn("w:gridCol")), widths_cm, strict=False):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def _no_borders(table: Table) -> None:
    borders = table._tbl.tblPr.first_child_found_in("w:tblBorders")
    if borders is not None:
        table._tbl.tblPr.remove(borders)


def _short_issuer(issuer: str, superior: str) -> str:
    """'Phòng Giáo dục và Đào tạo quận Hải An' under 'UBND quận Hải An' → drop the place."""
    place = re.sub(r"^(ubnd|uy ban nhan dan)\s+", "", fold(superior))
    if place and fold(issuer).endswith(" " + place):
        return issuer[: len(issuer) - len(place) - 1]
    return issuer


def _abbreviation(number: str) -> str:
    """'06/KH-PGDĐT' → 'PGDĐT'."""
    found = re.search(r"/[^-]+-(.+)$", number)
    return found.group(1) if found else ""


def _summary_line(s: Summary) -> str:
    subject = re.sub(r"^kế hoạch\s+", "", s.plan.title, flags=re.IGNORECASE)
    subject = re.sub(r"\s+năm \d{4}$", "", subject)
    subject = subject[:1].lower() + subject[1:]
    if s.period is not None and s.period.periodic:
        when = re.sub(r"^báo cáo\s+", "", s.period.name, flags=re.IGNORECASE)
    else:
        when = f"đến ngày {day_short(s.today)}"
    prefix = "công tác " if fold(subject).startswith("cai cach") else ""
    return f"Kết quả thực hiện {prefix}{subject} {when}"


def _header(doc: Any, s: Summary) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [7.0, 9.5])
    left, right = table.rows[0].cells
    _cell_para(left, s.plan.superior.upper(), 12)
    _cell_para(left, _short_issuer(s.plan.issuer, s.plan.superior).upper(), 12, bold=True)
    _cell_para(left, "──────────", 10)
    abbreviation = _abbreviation(s.plan.number)
    _cell_para(left, f"Số:       /BC-{abbreviation}" if abbreviation else "Số:       /BC", 13)
    _cell_para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True)
    _cell_para(right, "Độc lập - Tự do - Hạnh phúc", 13, bold=True)
    _cell_para(right, "────────────────────", 10)
    place = f"{s.plan.place}, " if s.plan.place else ""
    _cell_para(right, f"{place}{day_admin(s.today)}", 13, italic=True)


def _grid(doc: Any, head: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(head):
        _cell_para(table.rows[0].cells[i], text, 12, bold=True)
    for values in rows:
        cells = table.add_row().cells
        for i, text in enumerate(values):
            align = WD_ALIGN_PARAGRAPH.LEFT if i == 1 else WD_ALIGN_PARAGRAPH.CENTER
            _cell_para(cells[i], text, 12, align=align)
    _widths(table, widths)
    return table  # type: ignore[no-any-return]  # python-docx has no type hints


def _sections(doc: Any, s: Summary) -> None:
    plan, c = s.plan, s.overall
    schools = {u.id: u for u in s.units if u.kind != UnitKind.OFFICE}
    kinds = [f"{sum(1 for u in schools.values() if u.kind == k)} trường "
             f"{KIND_NAMES[k].lower() if k not in (UnitKind.THCS, UnitKind.THPT) else k.value}"
             for k in (UnitKind.MN, UnitKind.TH, UnitKind.THCS, UnitKind.PT, UnitKind.THPT)
             if any(u.kind == k for u in schools.values())]
    office = profile_of(plan)
    others = len(s.units) - len(schools)  # the office and its own departments or teams
    given = (f"{office.short_name} và {len(schools)} trường ({', '.join(kinds)})" if schools
             else f"{others} đơn vị")
    issued = f" ngày {plan.issued_on:%d/%m/%Y}" if plan.issued_on else ""
    tasks = len(s.tasks)
    about = re.sub(r"^kế hoạch\s+", "", plan.title, flags=re.IGNORECASE)
    _para(doc, f"Căn cứ Kế hoạch số {plan.number}{issued} của {plan.issuer} về "
               f"{about[:1].lower() + about[1:]}, {plan.issuer} báo cáo kết quả thực hiện "
               "như sau:", indent=True)
    _para(doc, "I. KẾT QUẢ THỰC HIỆN", bold=True)
    _para(doc, "1. Công tác triển khai", bold=True)
    _para(doc, f"Kế hoạch gồm {tasks} nhiệm vụ, giao cho {given}, "
               f"tổng cộng {c.total} lượt việc. Việc nhắc hạn và tổng "
               "hợp kết quả được thực hiện qua hệ thống nhắc việc trên Telegram và Zalo.",
          indent=True)
    _para(doc, "2. Kết quả thực hiện nhiệm vụ", bold=True)
    _para(doc, f"Đến {day_admin(s.today)}, đã hoàn thành {c.done}/{c.total} lượt việc "
               f"({c.percent}%), trong đó hoàn thành đúng hạn {c.on_time}, hoàn thành quá hạn "
               f"{c.late}; chưa hoàn thành trong hạn {c.pending}; quá hạn chưa hoàn thành "
               f"{c.overdue}. Kết quả theo từng lĩnh vực:", indent=True)
    rows = [[str(i), f"{a.number}. {a.title}", str(x.total), str(x.on_time), str(x.late),
             str(x.pending), str(x.overdue), f"{x.percent}%"]
            for i, (a, x) in enumerate(((a, x) for a, x in s.by_area if x.total), start=1)]
    rows.append(["", "Tổng cộng", str(c.total), str(c.on_time), str(c.late), str(c.pending),
                 str(c.overdue), f"{c.percent}%"])
    _grid(doc, ["STT", "Lĩnh vực", "Số lượt việc", "Đúng hạn", "Quá hạn", "Chưa đến hạn",
                "Quá hạn chưa xong", "Tỷ lệ"], rows, [1.3, 5.4, 1.7, 1.6, 1.6, 1.7, 1.8, 1.4])
    _para(doc, after=0)
    _para(doc, "3. Kết quả thực hiện các chỉ tiêu", bold=True)
    _para(doc, f"- Tỷ lệ việc đã đến hạn được hoàn thành đúng hạn: {s.on_time_due}/"
               f"{s.due_by_now} ({percent(s.on_time_due, s.due_by_now)}; chỉ tiêu 100%).",
          indent=True)
    _para(doc, f"- Số trường đã được kiểm tra: {s.inspected}/{s.schools} "
               f"({percent(s.inspected, s.schools)}; chỉ tiêu tối thiểu 30%).", indent=True)
    if s.period is not None:
        total = len(s.submitted) + len(s.missing)
        _para(doc, "4. Việc thực hiện chế độ báo cáo của các trường", bold=True)
        missing = (f"; các trường chưa nộp: {', '.join(u.name for u in s.missing)}"
                   if s.missing else "")
        _para(doc, f"{s.period.name} (hạn {day_short(s.period.due_on)}): {len(s.submitted)}/"
                   f"{total} trường đã nộp{missing}.", indent=True)

    _para(doc, "II. TỒN TẠI, HẠN CHẾ", bold=True)
    late = [(u, codes) for u, _, codes in s.by_unit if codes]
    if not late and not s.blocked:
        _para(doc, "Các đơn vị thực hiện đúng tiến độ; không có việc quá hạn.", indent=True)
    if late:
        _para(doc, f"Còn {sum(len(x) for _, x in late)} lượt việc quá hạn chưa hoàn thành tại "
                   f"{len(late)} đơn vị: " + "; ".join(
                       f"{u.name} (nhiệm vụ {', '.join(x)})" for u, x in late) + ".",
              indent=True)
    if s.blocked:
        _para(doc, "Các khó khăn, vướng mắc các đơn vị báo cáo: " + "; ".join(
            f"{name}, nhiệm vụ {code}" + (f": {note}" if note else "")
            for _, name, code, note in s.blocked) + ".", indent=True)

    _para(doc, "III. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI", bold=True)
    horizon = s.today + timedelta(days=92)
    upcoming = sorted((t.due_on, t.code, t.content) for t in s.tasks
                      if s.today < t.due_on <= horizon)
    for due, code, content in upcoming[:8]:
        _para(doc, f"- Nhiệm vụ {code}: {content} (hạn {day_short(due)}).", indent=True)
    _para(doc, "- Tiếp tục đôn đốc các đơn vị hoàn thành các nhiệm vụ quá hạn, thực hiện "
               "nghiêm chế độ báo cáo định kỳ theo kế hoạch.", indent=True)


def _signature(doc: Any, s: Summary) -> None:
    _para(doc, after=0)
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [8.0, 8.5])
    left, right = table.rows[0].cells
    _cell_para(left, "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    recipients = [r for r in s.plan.recipients if not fold(r).startswith("luu")]
    recipients = [r for r in recipients if "truong" not in fold(r)] or recipients
    for r in recipients:
        _cell_para(left, f"- {r};", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _cell_para(left, "- Lưu: VT.", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _cell_para(right, (s.plan.signer_title or "Thủ trưởng cơ quan").upper(), 13, bold=True)
    for _ in range(4):
        _cell_para(right, "", 13)
    _cell_para(right, s.plan.signer_name, 13, bold=True)


def write_docx(s: Summary, path: Path) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    _header(doc, s)
    _para(doc, after=0)
    _para(doc, "BÁO CÁO", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(doc, _summary_line(s), 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(doc, "──────────", 10, align=WD_ALIGN_PARAGRAPH.CENTER)
    _sections(doc, s)
    _signature(doc, s)
    doc.save(str(path))
    return path
