"""The Word report in the Vietnamese administrative layout (Nghị định 30/2020/NĐ-CP):
header block, number and date line, title, sections, result tables, signature block —
ready for staff to edit, sign and send."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from handlers.dates import day_admin, day_short
from handlers.reports.labels import ORDER, WORDS, Mark, lower
from handlers.reports.snapshot import Snapshot
from handlers.reports.tally import Counts, mark_of
from handlers.reports.texts import percent
from storage.files.unitkinds import KIND_NAMES
from storage.models import UnitKind
from storage.textnorm import fold

FONT = "Times New Roman"


def _font(run: Run, size: float, bold: bool = False, italic: bool = False) -> None:
    run.font.name, run.font.size, run.bold, run.italic = FONT, Pt(size), bold, italic
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _para(container: DocumentObject | _Cell, text: str = "", size: float = 14, bold: bool = False,
          italic: bool = False, align: WD_ALIGN_PARAGRAPH | None = None, indent: bool = False,
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
    return p


def _heading(doc: DocumentObject, text: str) -> Paragraph:
    """A bold heading that never sits alone at the foot of a page."""
    p = _para(doc, text, bold=True)
    p.paragraph_format.keep_with_next = True
    return p


def _field(paragraph: Paragraph, code: str, size: float) -> None:
    """A Word field (PAGE) in *paragraph*."""
    run = paragraph.add_run()
    _font(run, size)
    for kind, text in (("begin", None), (None, code), ("separate", None), (None, "2"),
                       ("end", None)):
        if kind is not None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == code:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {code} "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._element.append(el)


def _page_numbers(section: Section) -> None:
    """Page numbers at the top centre from page 2 (the first page has none)."""
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(p, "PAGE", 13)


def _repeat_header(table: Table) -> None:
    """The header row is repeated at the top of every page the table runs onto."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)
    for row in table.rows:
        cant = OxmlElement("w:cantSplit")
        row._tr.get_or_add_trPr().append(cant)


def _cell_para(cell: _Cell, text: str, size: float, bold: bool = False,
               italic: bool = False,
               align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER) -> Paragraph:
    p: Paragraph = cell.paragraphs[0] if not cell.paragraphs[0].text and len(cell.paragraphs) == 1 \
        and not cell.paragraphs[0].runs else cell.add_paragraph()
    _font(p.add_run(text), size, bold, italic)
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    return p


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


def _summary_line(s: Snapshot) -> str:
    subject = re.sub(r"^kế hoạch\s+", "", s.plan.title, flags=re.IGNORECASE)
    subject = re.sub(r"\s+năm \d{4}$", "", subject)
    subject = subject[:1].lower() + subject[1:]
    if s.asked is not None and s.asked.periodic:
        when = re.sub(r"^báo cáo\s+", "", s.asked.name, flags=re.IGNORECASE)
    else:
        when = f"đến ngày {day_short(s.today)}"
    prefix = "công tác " if fold(subject).startswith("cai cach") else ""
    return f"Kết quả thực hiện {prefix}{subject} {when}"


def _header(doc: DocumentObject, s: Snapshot) -> None:
    o = s.office
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [7.4, 9.5])
    left, right = table.rows[0].cells
    _cell_para(left, o.superior.upper(), 12)
    _cell_para(left, _short_issuer(o.full_name, o.superior).upper(), 12, bold=True)
    _cell_para(left, "──────────", 10)
    abbreviation = _abbreviation(s.plan.number)
    _cell_para(left, f"Số:       /BC-{abbreviation}" if abbreviation else "Số:       /BC", 13)
    _cell_para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True)
    _cell_para(right, "Độc lập - Tự do - Hạnh phúc", 13, bold=True)
    _cell_para(right, "────────────────────", 10)
    place = f"{o.place}, " if o.place else ""
    _cell_para(right, f"{place}{day_admin(s.today)}", 13, italic=True)


def _grid(doc: DocumentObject, head: list[str], rows: list[list[str]], widths: list[float],
          total: list[str] | None = None, left: tuple[int, ...] = (1,), size: float = 12,
          head_size: float | None = None) -> Table:
    """A bordered table: bold header row repeated on every page, bold totals row."""
    body = [(v, False) for v in rows] + ([(total, True)] if total else [])
    table: Table = doc.add_table(rows=1 + len(body), cols=len(head))  # untyped in python-docx
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(head):
        _cell_para(table.rows[0].cells[i], text, head_size or size, bold=True)
    for row, (values, bold) in zip(table.rows[1:], body, strict=True):
        cells = row.cells
        for i, text in enumerate(values):
            align = WD_ALIGN_PARAGRAPH.LEFT if i in left else WD_ALIGN_PARAGRAPH.CENTER
            for n, line in enumerate(text.split("\n")):
                if n == 0:
                    _cell_para(cells[i], line, size, bold=bold, align=align)
                else:
                    cells[i].add_paragraph()
                    _font(cells[i].paragraphs[-1].add_run(line), size, bold)
                    cells[i].paragraphs[-1].alignment = align
    _widths(table, widths)
    _repeat_header(table)
    return table


def _counts_sentence(c: Counts) -> str:
    today = f"; {lower(Mark.DUE_TODAY)} {c.due_today}" if c.due_today else ""
    return (f"đã hoàn thành {c.done}/{c.total} lượt việc ({c.percent}%), trong đó "
            f"{lower(Mark.ON_TIME)} {c.on_time}, {lower(Mark.LATE)} {c.late}; "
            f"{lower(Mark.PENDING)} {c.pending}{today}; {lower(Mark.OVERDUE)} {c.overdue}")


def _kinds(s: Snapshot) -> list[str]:
    schools = [u for u in s.units if u.kind != UnitKind.OFFICE]
    return [f"{sum(1 for u in schools if u.kind == k)} trường "
            f"{KIND_NAMES[k].lower() if k not in (UnitKind.THCS, UnitKind.THPT) else k.value}"
            for k in (UnitKind.MN, UnitKind.TH, UnitKind.THCS, UnitKind.PT, UnitKind.THPT)
            if any(u.kind == k for u in schools)]


def _sections(doc: DocumentObject, s: Snapshot) -> None:
    plan, c, o = s.plan, s.overall, s.office
    schools = [u for u in s.units if u.kind != UnitKind.OFFICE]
    office_in = any(u.kind == UnitKind.OFFICE for u in s.units)
    issued = f" ngày {plan.issued_on:%d/%m/%Y}" if plan.issued_on else ""
    about = re.sub(r"^kế hoạch\s+", "", plan.title, flags=re.IGNORECASE)
    _para(doc, f"Căn cứ Kế hoạch số {plan.number}{issued} của {o.full_name} về "
               f"{about[:1].lower() + about[1:]}, {o.full_name} báo cáo kết quả thực hiện "
               "như sau:", indent=True)
    _heading(doc, "I. KẾT QUẢ THỰC HIỆN")
    _heading(doc, "1. Công tác triển khai")
    if s.filtered and len(s.units) == 1:
        whom = f"{s.units[0].name} được giao {len(s.tasks)} nhiệm vụ của kế hoạch"
    else:
        who = ([o.short_name] if office_in else []) + (
            [f"{len(schools)} trường ({', '.join(_kinds(s))})"] if schools else [])
        if not schools:  # the office's own departments or teams
            who = [f"{len(s.units)} đơn vị"]
        whom = (f"Kế hoạch gồm {len(s.tasks)} nhiệm vụ, giao cho {' và '.join(who)}, tổng "
                f"cộng {c.total} lượt việc")
    _para(doc, f"{whom}. Việc nhắc hạn và tổng hợp kết quả được thực hiện qua hệ thống nhắc "
               "việc trên Telegram và Zalo.", indent=True)
    _heading(doc, "2. Kết quả thực hiện nhiệm vụ")
    _para(doc, f"Đến {day_admin(s.today)}, {_counts_sentence(c)}. Kết quả theo từng lĩnh "
               "vực:", indent=True)
    areas = [(a, x) for a, x in s.by_area if x.total]
    marks = [m for m in ORDER if m != Mark.DUE_TODAY or c.due_today]
    rows = [[str(a.number), a.title, str(x.total), *(str(x.of(m)) for m in marks),
             f"{x.percent}%"] for a, x in areas]
    total = ["", "Tổng cộng", str(c.total), *(str(c.of(m)) for m in marks), f"{c.percent}%"]
    width = 8.8 / len(marks)
    _grid(doc, ["STT", "Lĩnh vực", "Số lượt việc", *(WORDS[m] for m in marks), "Tỷ lệ hoàn "
                "thành"], rows, [1.2, 4.2, 1.5] + [width] * len(marks) + [1.6], total, size=11,
          head_size=10)
    _para(doc, after=0)
    n = 3
    if not s.filtered:
        _heading(doc, f"{n}. Kết quả thực hiện các chỉ tiêu")
        _para(doc, f"- Tỷ lệ việc đã đến hạn được hoàn thành đúng hạn: {s.on_time_due}/"
                   f"{s.due_by_now} ({percent(s.on_time_due, s.due_by_now)}; chỉ tiêu 100%).",
              indent=True)
        _para(doc, f"- Số trường đã được kiểm tra: {s.inspected}/{s.schools} "
                   f"({percent(s.inspected, s.schools)}; chỉ tiêu tối thiểu 30%).",
              indent=True)
        n += 1
    if s.boards:
        _heading(doc, f"{n}. Việc thực hiện chế độ báo cáo của các trường")
        for b in s.boards:
            late = [r for r in b.rows if r.submitted_at is not None and r.days_late]
            text = (f"{b.name} (hạn {day_short(b.due_on)}): {len(b.submitted)}/{len(b.rows)} "
                    "trường đã nộp")
            if late:
                text += f", trong đó {len(late)} trường nộp quá hạn"
            if b.missing:
                text += f"; các trường chưa nộp: {', '.join(u.name for u in b.missing)}"
            _para(doc, text + ".", indent=True)

    late_units = [(u, codes) for u, _, codes in s.by_unit if codes]
    _heading(doc, "II. ĐÁNH GIÁ CHUNG")
    _para(doc, f"Các đơn vị {_counts_sentence(c)}; tỷ lệ hoàn thành đúng hạn của các việc "
               f"đã đến hạn đạt {percent(s.on_time_due, s.due_by_now)}. "
               "[Bổ sung nhận xét về ưu điểm, cách làm hiệu quả.]", indent=True)
    _heading(doc, "III. TỒN TẠI, HẠN CHẾ")
    if not late_units and not s.blocked:
        _para(doc, "Các đơn vị thực hiện đúng tiến độ; không có việc quá hạn.", indent=True)
    if late_units:
        _para(doc, f"Còn {sum(len(x) for _, x in late_units)} lượt việc quá hạn chưa hoàn "
                   f"thành tại {len(late_units)} đơn vị: " + "; ".join(
                       f"{u.name} (nhiệm vụ {', '.join(x)})" for u, x in late_units) + ".",
              indent=True)
    if s.blocked:
        _para(doc, "Các khó khăn, vướng mắc các đơn vị báo cáo: " + "; ".join(
            f"{name}, nhiệm vụ {code}" + (f": {note}" if note else "")
            for _, name, code, note in s.blocked) + ".", indent=True)
    _para(doc, "[Bổ sung nguyên nhân của tồn tại, hạn chế.]", indent=True)
    _heading(doc, "IV. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI")
    horizon = s.today + timedelta(days=92)
    upcoming = sorted((t.due_on, t.code, t.content) for t in s.tasks
                      if s.today < t.due_on <= horizon)
    for due, code, content in upcoming[:8]:
        _para(doc, f"- Nhiệm vụ {code}: {content} (hạn {day_short(due)}).", indent=True)
    _para(doc, "- Tiếp tục đôn đốc các đơn vị hoàn thành các nhiệm vụ quá hạn, thực hiện "
               "nghiêm chế độ báo cáo định kỳ theo kế hoạch.", indent=True)
    _heading(doc, "V. ĐỀ XUẤT, KIẾN NGHỊ")
    if late_units:
        _para(doc, f"- Đề nghị {len(late_units)} đơn vị còn việc quá hạn khẩn trương hoàn "
                   f"thành và báo cáo kết quả về {s.office.short_name}.", indent=True)
    missing = sum(len(b.missing) for b in s.boards if b.due_on < s.today)
    if missing:
        _para(doc, f"- Đề nghị các trường chưa nộp báo cáo ({missing} lượt) nộp ngay.",
              indent=True)
    _para(doc, "- [Bổ sung đề xuất, kiến nghị với cấp trên.]", indent=True)


def _appendix(doc: DocumentObject, s: Snapshot) -> None:
    """Phụ lục: one row per task, in the form offices forward."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin, section.right_margin = Mm(20), Mm(15)
    section.top_margin = section.bottom_margin = Mm(20)
    _para(doc, "PHỤ LỤC", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(doc, f"Kết quả thực hiện các nhiệm vụ của Kế hoạch số {s.plan.number} đến ngày "
               f"{day_short(s.today)}", 13, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    per_task: dict[str, Counts] = {}
    notes: dict[str, list[str]] = {}
    evidence: dict[str, list[str]] = {}
    for r in s.rows:
        per_task.setdefault(r.task.code, Counts()).add(mark_of(r, s.today))
        if r.assignment.note:
            notes.setdefault(r.task.code, []).append(f"{r.unit.code}: {r.assignment.note}")
        if r.assignment.evidence:
            evidence.setdefault(r.task.code, []).append(r.assignment.evidence)
    single = len(s.units) == 1
    rows = []
    for n, t in enumerate(s.tasks, start=1):
        c = per_task.get(t.code, Counts())
        if single:
            result = next((WORDS[m] for m in ORDER if c.of(m)), "")
        else:
            parts = [f"Hoàn thành {c.done}/{c.total} đơn vị"] + [
                f"{lower(m)} {c.of(m)}" for m in ORDER if c.of(m)]
            result = parts[0] + " (" + "; ".join(parts[1:]) + ")"
        product = t.product + (f"\n{'; '.join(evidence[t.code][:3])}" if t.code in evidence
                               else "")
        note = "; ".join(notes.get(t.code, [])[:3])
        rows.append([str(n), f"{t.code}. {t.content}", t.units_text,
                     f"{day_short(t.due_on)}", result, product, note])
    _grid(doc, ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Kết quả",
                "Sản phẩm/minh chứng", "Ghi chú"], rows,
          [1.2, 7.5, 3.4, 2.3, 4.6, 3.4, 3.2], left=(1, 2, 4, 5, 6), size=11)


def _signature(doc: DocumentObject, s: Snapshot) -> None:
    o = s.office
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
    _cell_para(right, (o.head_title or "Thủ trưởng cơ quan").upper(), 13, bold=True)
    for _ in range(4):
        _cell_para(right, "", 13)
    _cell_para(right, o.head_name, 13, bold=True)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def write_docx(s: Snapshot, path: Path) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    _page_numbers(section)
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
    _appendix(doc, s)
    doc.save(str(path))
    return path
