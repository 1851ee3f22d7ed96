"""The Excel report, printable on A4: a summary sheet with totals and the legend, one
school × task matrix per area (every coloured cell carries its word, the legend above it,
the office's own row first), the submission boards and, for plans of ordinary size, the
detail of every record. Headers and footers carry the title and "Trang x/y"; dates are
real dates shown dd/mm/yyyy; text that a spreadsheet could read as a formula is
neutralised. Written in streaming mode, so a city's 10,000 schools stay within seconds."""

from __future__ import annotations

import math
from collections.abc import Sequence
from copy import copy
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, cast

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell._writer import etree_write_cell
from openpyxl.cell.cell import Cell
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.dimensions import ColumnDimension, DimensionHolder, RowDimension
from openpyxl.worksheet.header_footer import HeaderFooter
from openpyxl.worksheet.page import PageMargins, PrintPageSetup
from openpyxl.worksheet.properties import PageSetupProperties, WorksheetProperties
from openpyxl.worksheet.worksheet import Worksheet

from handlers.collector import collector_paused
from handlers.dates import day_short
from handlers.reports.cells import cell
from handlers.reports.labels import ORDER, TINT, WORDS, Mark
from handlers.reports.snapshot import Snapshot
from handlers.reports.tally import Counts
from handlers.reports.texts import counts_line, target_due, target_inspected
from storage.export import neutral
from storage.models import UnitKind
from storage.records import Status

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = Font(name="Times New Roman", size=11)
BOLD = Font(name="Times New Roman", size=11, bold=True)
TITLE = Font(name="Times New Roman", size=14, bold=True)
HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
DATE = "DD/MM/YYYY"
FILLS = {m: PatternFill("solid", fgColor=TINT[m]) for m in ORDER}
DETAIL_LIMIT = 20_000  # assignments above which the per-record sheet is left out


class _Styled(Protocol):
    """A cell's style array (every openpyxl cell has one; the stubs leave it out)."""

    _style: StyleArray


class _Printable(Protocol):
    """The layout a streamed sheet has at run time (WriteOnlyWorksheet sets up the same
    dimensions and print settings as a Worksheet; openpyxl's stubs leave them out)."""

    row_dimensions: DimensionHolder[int, RowDimension]
    column_dimensions: DimensionHolder[str, ColumnDimension]
    page_setup: PrintPageSetup
    page_margins: PageMargins
    sheet_properties: WorksheetProperties
    HeaderFooter: HeaderFooter


def _layout(ws: WriteOnlyWorksheet) -> _Printable:
    return cast(_Printable, ws)


_STYLES: dict[tuple[int, int, int, int, bool, str], StyleArray] = {}
_SAME: dict[tuple[int, type, Any, int, int, int, bool, str], _Fixed] = {}
_FAST: set[int] = set()  # ids of the workbooks written through `_fast_rows`


def _style(ws: WriteOnlyWorksheet, font: Font, fill: PatternFill | None, align: Alignment,
           border: bool, fmt: str | None) -> StyleArray:
    """The style array of a combination, looked up once per workbook (setting openpyxl
    styles one by one hashes them: minutes for a city's report)."""
    key = (id(ws.parent), id(font), id(fill), id(align), border, fmt or "")
    style = _STYLES.get(key)
    if style is None:
        c = WriteOnlyCell(ws)
        c.font, c.alignment = font, align
        if border:
            c.border = BORDER
        if fill is not None:
            c.fill = fill
        if fmt:
            c.number_format = fmt
        style = _STYLES[key] = cast(_Styled, c)._style
    return style


def _c(ws: WriteOnlyWorksheet, value: Any, font: Font = FONT, fill: PatternFill | None = None,
       align: Alignment = WRAP, border: bool = True, fmt: str | None = None) -> Cell:
    """A streamed cell with its style."""
    c = WriteOnlyCell(ws, neutral(value))
    cast(_Styled, c)._style = copy(_style(ws, font, fill, align, border, fmt))
    return c


class _Fixed(Cell):
    """A cell that is never restyled: its style's index in the workbook is looked up once
    (openpyxl hashes the style for every cell it writes)."""

    __slots__ = ("_sid", "_styled", "repeats", "element", "shapes")

    def __init__(self, ws: WriteOnlyWorksheet, value: Any, repeats: bool = False,
                 slot: bool = False) -> None:
        super().__init__(ws, column=1, row=1, value=value)
        self._sid: int | None = None
        self._styled = False
        self.repeats = repeats  # its value never changes: `_fast_rows` keeps its element
        self.element: Any = None
        # a slot's value changes row by row: `_fast_rows` keeps one element per kind of
        # value (text, number) and puts each new value into it
        self.shapes: dict[str, tuple[Any, Any]] | None = {} if slot else None

    def fix(self, style: StyleArray) -> None:
        cast(_Styled, self)._style = copy(style)
        self._styled = any(style)

    @property
    def has_style(self) -> bool:
        return self._styled

    @property
    def style_id(self) -> int:
        if self._sid is None:
            self._sid = super().style_id
        return self._sid


def _same(ws: WriteOnlyWorksheet, value: Any, font: Font = FONT,
          fill: PatternFill | None = None, align: Alignment = WRAP, border: bool = True,
          fmt: str | None = None) -> Cell:
    """The one cell of a sheet for a value that repeats down the rows (a verdict, a
    percentage, a date): a streamed row is written as it is appended, so the same cell
    object can stand in any number of places, and is built only once."""
    key = (id(ws), type(value), value, id(font), id(fill), id(align), border, fmt or "")
    c = _SAME.get(key)
    if c is None:
        c = _SAME[key] = _Fixed(ws, neutral(value), repeats=True)
        c.fix(_style(ws, font, fill, align, border, fmt))
    return c


def _slot(ws: WriteOnlyWorksheet, font: Font = FONT, fill: PatternFill | None = None,
          align: Alignment = WRAP, border: bool = True) -> _Fixed:
    """A cell given a new text or number in every row (a school's code, its name): one
    object per column, its value set just before its row is appended. Not for dates:
    binding a date sets its number format, and this cell's style is fixed."""
    c = _Fixed(ws, None, slot=True)
    c.fix(_style(ws, font, fill, align, border, None))
    return c


class _Catch:
    """Stands in for a sheet's XML stream: keeps the one element a cell is written as."""

    __slots__ = ("element",)

    def __init__(self) -> None:
        self.element: Any = None

    def write(self, element: Any) -> None:
        self.element = element


LETTERS = [get_column_letter(i) for i in range(1, 16_385)]  # every column a sheet may have
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _fast_rows(ws: WriteOnlyWorksheet) -> None:
    """openpyxl writes every cell of a streamed sheet from scratch: an attribute dict and
    four nested XML elements each, and it tries every value as a plain value before taking
    it as a cell. Here a cell becomes one element, by openpyxl's own cell writer; a cell
    that stands in many places (a verdict, a percentage, a date: `_same`) keeps its element
    and is written with the coordinate of each place; a slot (a school's code, its name:
    `_slot`) keeps one element and takes each row's value. Nothing is kept per distinct
    value (for a city, that cost more memory than it saved time). The same XML (a test
    compares it byte for byte), in under half the time."""
    dims = _layout(ws).row_dimensions
    row_attrs: dict[int, dict[str, str]] = {}  # by the id of a (shared) row dimension
    catch = _Catch()

    def write_row(xf: Any, values: Sequence[Any], row_idx: int) -> None:
        r = str(row_idx)
        attrs = {"r": r}
        dim = dims.get(row_idx)
        if dim is not None:
            extra = row_attrs.get(id(dim))
            if extra is None:
                extra = row_attrs[id(dim)] = dict(dim)
            attrs.update(extra)
        with xf.element("row", attrs):
            for i, c in enumerate(values):
                if c is None:
                    continue
                element = getattr(c, "element", None)  # a repeating cell's, once made
                if element is None and getattr(c, "shapes", None) is not None:
                    element = _refill(cast(_Fixed, c), ws, catch)
                if element is None:
                    if not isinstance(c, Cell):
                        c = WriteOnlyCell(ws, c)
                    styled = c.has_style
                    value = c.value
                    if value is None and not styled:
                        continue
                    if c.hyperlink is not None or c.comment is not None:
                        raise ValueError("a link or a comment in a cell: not written here")
                    etree_write_cell(catch, ws, c, styled)
                    element = catch.element
                    if not len(element):  # an empty cell, as openpyxl streams it: <c></c>
                        element.text = ""
                    elif isinstance(value, str) and c.data_type == "s" \
                            and value != value.strip():  # "  " too
                        element[0][0].set(XML_SPACE, "preserve")  # <c><is><t>
                    if isinstance(c, _Fixed) and c.repeats:
                        c.element = element
                element.set("r", LETTERS[i] + r)
                xf.write(element)

    make_writer = getattr(ws, "_get_writer")  # noqa: B009 (private, as below)

    def get_writer() -> None:  # the writer is made at the first row, after the layout
        if getattr(ws, "_writer") is None:  # noqa: B009
            make_writer()
            setattr(getattr(ws, "_writer"), "write_row", write_row)  # noqa: B009, B010

    setattr(ws, "_get_writer", get_writer)  # noqa: B010
    setattr(ws, "_values_to_row", lambda values, row_idx: values)  # noqa: B010


def _refill(c: _Fixed, ws: WriteOnlyWorksheet, catch: _Catch) -> Any:
    """A slot's element with its current value put in (its element for that kind of value
    made once, by openpyxl's cell writer); None for a value that is not a plain text or
    number, written the general way."""
    value, kind = c.value, c.data_type
    if kind not in ("s", "n") or value is None or value == "" or c.shapes is None:
        return None
    shape = c.shapes.get(kind)
    if shape is None:
        etree_write_cell(catch, ws, c, c.has_style)
        element = catch.element
        shape = c.shapes[kind] = (element, element[0][0] if kind == "s" else element[0])
    element, node = shape
    if kind == "n":
        node.text = safe_string(value)
        return element
    node.text = value
    if isinstance(value, str) and value != value.strip():  # as openpyxl's own writer
        node.set(XML_SPACE, "preserve")
    elif XML_SPACE in node.attrib:
        del node.attrib[XML_SPACE]
    return element


@lru_cache(maxsize=4096)
def _lines(text: str, width: float) -> int:
    """How many lines *text* wraps to in a column *width* characters wide."""
    return sum(math.ceil(max(len(part), 1) * 0.8 / max(width, 1)) for part in text.split("\n"))


class Rows:
    """Appends rows to a streamed sheet with a height that fits their wrapped text (a
    spreadsheet does not grow rows by itself for text written this way)."""

    def __init__(self, ws: WriteOnlyWorksheet, widths: Sequence[float]) -> None:
        self.ws, self.widths, self.n = ws, widths, 0
        self.heights: dict[int, RowDimension] = {}

    def add(self, cells: list[Any], lines: int | None = None) -> None:
        """Append *cells*; *lines*: the row's height in lines when the caller has counted
        them (as this would: the most any text cell wraps to in its column)."""
        self.n += 1
        if lines is None:
            lines = 1
            for i, c in enumerate(cells if len(cells) > 1 else []):  # a lone title overflows
                value = getattr(c, "value", c)
                if isinstance(value, str) and i < len(self.widths):
                    lines = max(lines, _lines(value, self.widths[i]))
        if lines > 1:  # one dimension per height, shared by its rows (each is written out
            height = 15 * min(lines, 10)  # as its row is appended, and never changed)
            dim = self.heights.get(height)
            if dim is None:
                sheet = cast(Worksheet, self.ws)  # as openpyxl's own factory passes it
                dim = self.heights[height] = RowDimension(sheet, ht=height)
            _layout(self.ws).row_dimensions[self.n] = dim
        self.ws.append(cells)


def _page(ws: WriteOnlyWorksheet, title: str, widths: Sequence[float], title_rows: str,
          title_cols: str | None = None, landscape: bool = True, fit_width: bool = True
          ) -> None:
    """A4, margins, the title in the header, "Trang x/y" in the footer, rows (and columns)
    repeated on every printed page."""
    sheet = _layout(ws)
    for i, w in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = w
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    if fit_width:
        fit = sheet.sheet_properties.pageSetUpPr or PageSetupProperties()
        fit.fitToPage = True
        sheet.sheet_properties.pageSetUpPr = fit
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75
    header, footer = sheet.HeaderFooter.oddHeader, sheet.HeaderFooter.oddFooter
    if header is not None and footer is not None:  # a new sheet has both, empty
        header.center.text = title.replace("&", "&&")
        header.center.size = 10
        footer.center.text = "Trang &P/&N"
        footer.center.size = 10
    ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols


def _title(s: Snapshot) -> str:
    return f"Tiến độ Kế hoạch {s.plan.number} — tính đến {day_short(s.today)}"


def _legend(ws: WriteOnlyWorksheet) -> list[Cell]:
    return [_c(ws, "Chú thích:", BOLD, border=False)] + [
        _c(ws, WORDS[m], FONT, FILLS[m], CENTER) for m in ORDER]


def _summary(book: Workbook, s: Snapshot) -> None:
    ws = _sheet(book, "Tổng hợp")
    widths = [6, 46, 10, 12, 12, 14, 11, 14, 11]
    _page(ws, _title(s), widths, "5:5", landscape=True)
    rows = Rows(ws, widths)
    rows.add([_c(ws, f"TỔNG HỢP TIẾN ĐỘ KẾ HOẠCH {s.plan.number}", TITLE, border=False,
                  align=Alignment())])
    rows.add([_c(ws, f"{s.plan.title} — tính đến ngày {day_short(s.today)}", FONT,
                  border=False, align=Alignment())])
    rows.add([_c(ws, f"Toàn kế hoạch: {counts_line(s.overall)}.", FONT, border=False,
                  align=Alignment())])
    rows.add([])
    head = ["STT", "Lĩnh vực", "Số lượt việc", *(WORDS[m] for m in ORDER), "Tỷ lệ hoàn thành"]
    rows.add([_c(ws, h, BOLD, HEAD_FILL, CENTER) for h in head])
    areas = [(a, c) for a, c in s.by_area if c.total]
    for n, (area, c) in enumerate(areas, start=1):
        rows.add([_c(ws, n, align=CENTER), _c(ws, area.title), _c(ws, c.total, align=CENTER),
                   *(_c(ws, c.of(m), fill=FILLS[m], align=CENTER) for m in ORDER),
                   _c(ws, c.done / c.total if c.total else 0, align=CENTER, fmt="0%")])
    c = s.overall
    rows.add([_c(ws, ""), _c(ws, "Tổng cộng", BOLD), _c(ws, c.total, BOLD, align=CENTER),
               *(_c(ws, c.of(m), BOLD, FILLS[m], CENTER) for m in ORDER),
               _c(ws, c.done / c.total if c.total else 0, BOLD, align=CENTER, fmt="0%")])
    rows.add([])
    if not s.filtered:
        rows.add([_c(ws, "Chỉ tiêu", BOLD, border=False)])
        for line in (target_due(s), target_inspected(s)):
            rows.add([None, _c(ws, f"• {line}.", border=False, align=Alignment())])
        rows.add([])
    rows.add([None, *_legend(ws)])


def _sheet(book: Workbook, title: str) -> Any:  # as create_sheet: a write-only book's sheet
    ws = book.create_sheet(title)
    if id(book) in _FAST:
        _fast_rows(ws)
    return ws


def _unit_kind(kind: UnitKind) -> str:
    return "Cơ quan" if kind == UnitKind.OFFICE else kind.value


UNIT_WIDTHS = (14, 30)  # a matrix's code and name columns
TASK_WIDTH = 16


def _unit_labels(s: Snapshot) -> dict[int | None, tuple[str, str, int]]:
    """Every unit's code and name as a matrix shows them, and the lines they wrap to: the
    same in every area's sheet, so worked out once."""
    out: dict[int | None, tuple[str, str, int]] = {}
    for unit in s.units:
        code, name = neutral(unit.code), neutral(unit.name)
        out[unit.id] = (code, name, max([1] + [_lines(t, w) for t, w in
                                               zip((code, name), UNIT_WIDTHS, strict=True)
                                               if isinstance(t, str)]))
    return out


def _matrix(book: Workbook, s: Snapshot, number: int, title: str, records: list[Status],
            labels: dict[int | None, tuple[str, str, int]]) -> None:
    """One area: schools down, its tasks across, each cell the verdict word on its colour."""
    ws = _sheet(book, f"Mục {number}")
    tasks = sorted({r.task.code: r.task for r in records}.values(), key=lambda t: t.position)
    widths = [*UNIT_WIDTHS] + [TASK_WIDTH] * len(tasks) + [11]
    rows = Rows(ws, widths)
    _page(ws, f"{_title(s)} — Mục {number}", widths, "1:4", "A:B",
          fit_width=len(tasks) <= 8)
    if len(tasks) > 8:
        ws.page_setup.scale = 90
    ws.freeze_panes = "C5"
    rows.add([_c(ws, f"Mục {number}. {title}", TITLE, border=False, align=Alignment())])
    legend = _legend(ws)
    rows.add([None, *legend])
    rows.add([])
    rows.add([_c(ws, h, BOLD, HEAD_FILL, CENTER) for h in
               ["Mã đơn vị", "Đơn vị", *(f"{t.code}\nhạn {day_short(t.due_on)}" for t in tasks),
                "Hoàn thành"]])
    column = {t.code: i for i, t in enumerate(tasks)}
    by_unit: dict[int, list[Status]] = {}
    for r in records:
        by_unit.setdefault(r.unit.id or 0, []).append(r)
    per_task = [Counts() for _ in tasks]
    empty = _same(ws, "")
    code_cell, name_cell = _slot(ws), _slot(ws)
    verdicts: dict[str, tuple[Cell, int]] = {}  # a cell's text → its cell and height
    for unit in s.units:  # office first, then schools by code
        mine = by_unit.get(unit.id)
        if not mine:
            continue
        cells: list[Any] = [empty] * len(tasks)  # one bordered blank, written in place
        done = 0
        code_cell.value, name_cell.value, lines = labels[unit.id]
        for r in mine:
            text, _, m = cell(r, s.today)
            i = column[r.task.code]
            shown = verdicts.get(text)  # a few words, a quarter of a million cells
            if shown is None:
                shown = verdicts[text] = (_same(ws, text, FONT, FILLS[m], CENTER),
                                          _lines(text, TASK_WIDTH))
            cells[i] = shown[0]
            lines = max(lines, shown[1])
            per_task[i].add(m)
            done += m in (Mark.ON_TIME, Mark.LATE)
        rows.add([code_cell, name_cell, *cells,
                  _same(ws, done / len(mine), align=CENTER, fmt="0%")], lines)
    total_done = sum(c.done for c in per_task)
    total = sum(c.total for c in per_task)
    rows.add([_c(ws, "Tổng cộng", BOLD), _c(ws, "Số đơn vị đã hoàn thành", BOLD),
               *(_c(ws, f"{c.done}/{c.total}", BOLD, align=CENTER) for c in per_task),
               _c(ws, total_done / total if total else 0, BOLD, align=CENTER, fmt="0%")])


def _boards(book: Workbook, s: Snapshot) -> None:
    if not s.boards:
        return
    ws = _sheet(book, "Nộp báo cáo")
    widths = [6, 14, 40, 13, 12, 22]
    _page(ws, f"{_title(s)} — Nộp báo cáo", widths, "1:1", landscape=False)
    rows = Rows(ws, widths)
    rows.add([_c(ws, "TÌNH HÌNH NỘP BÁO CÁO CỦA CÁC TRƯỜNG", TITLE, border=False,
                  align=Alignment())])
    for b in s.boards:
        rows.add([])
        rows.add([_c(ws, f"{b.name} — hạn {day_short(b.due_on)}: {len(b.submitted)}/"
                      f"{len(b.rows)} trường đã nộp", BOLD, border=False, align=Alignment())])
        rows.add([_c(ws, h, BOLD, HEAD_FILL, CENTER) for h in
                   ["STT", "Mã đơn vị", "Đơn vị", "Ngày nộp", "Số ngày muộn", "Tình trạng"]])
        ordered = sorted(b.rows, key=lambda r: (r.submitted_at is None, r.unit.code))
        number, code, name = _slot(ws, align=CENTER), _slot(ws), _slot(ws)
        for n, r in enumerate(ordered, start=1):
            if r.submitted_at is None:
                state = f"Chưa nộp, quá hạn {r.days_late} ngày" if r.days_late else "Chưa nộp"
                m = Mark.OVERDUE if r.days_late else Mark.PENDING
                when: Any = ""
            else:
                state = "Nộp quá hạn" if r.days_late else "Nộp đúng hạn"
                m = Mark.LATE if r.days_late else Mark.ON_TIME
                when = r.submitted_at.date()
            number.value, code.value, name.value = n, neutral(r.unit.code), neutral(r.unit.name)
            rows.add([number, code, name, _same(ws, when, align=CENTER, fmt=DATE),
                       _same(ws, r.days_late, align=CENTER), _same(ws, state, fill=FILLS[m])])


def _detail(book: Workbook, s: Snapshot) -> None:
    ws = _sheet(book, "Chi tiết")
    widths = [7, 36, 11, 13, 24, 20, 8, 20, 16]
    _page(ws, f"{_title(s)} — Chi tiết", widths, "1:1", fit_width=False)
    ws.page_setup.scale = 85  # one page wide, text at about 9 pt
    lines = Rows(ws, widths)
    ws.freeze_panes = "A2"
    lines.add([_c(ws, h, BOLD, HEAD_FILL, CENTER) for h in
               ["Mã NV", "Nội dung công việc", "Hạn", "Mã đơn vị", "Đơn vị", "Kết quả",
                "Tiến độ", "Ghi chú / khó khăn", "Minh chứng"]])
    order = {u.id: i for i, u in enumerate(s.units)}
    rows = sorted(s.rows, key=lambda r: (r.task.position, order.get(r.unit.id or 0, 0)))
    for r in rows:
        text, _, m = cell(r, s.today)
        a = r.assignment
        lines.add([_c(ws, r.task.code), _c(ws, r.task.content),
                   _c(ws, r.task.due_on, align=CENTER, fmt=DATE), _c(ws, r.unit.code),
                   _c(ws, r.unit.name), _c(ws, text, fill=FILLS[m]),
                   _c(ws, a.percent / 100, align=CENTER, fmt="0%"), _c(ws, a.note),
                   _c(ws, a.evidence)])
    ws.auto_filter.ref = f"A1:I{len(rows) + 1}"


def write_xlsx(s: Snapshot, path: Path, fast: bool = True) -> Path:
    """*fast*: cells written through `_fast_rows` (False: openpyxl's own writer, the same
    XML; kept to test that)."""
    book = Workbook(write_only=True)
    _STYLES.clear()  # style ids are per workbook
    _SAME.clear()
    if fast:
        _FAST.add(id(book))
    try:
        with collector_paused():  # half a million cells, no cycles among them
            _write(book, s)
            book.save(path)
    finally:
        _SAME.clear()  # the cells hold their sheets
        _FAST.discard(id(book))
    return path


def _write(book: Workbook, s: Snapshot) -> None:
    _summary(book, s)
    numbers = {a.id: (a.number, a.title) for a, _ in s.by_area}
    per_area: dict[int, list[Status]] = {}
    for r in s.rows:
        per_area.setdefault(r.task.area_id, []).append(r)
    labels = _unit_labels(s)
    for area, c in s.by_area:
        if c.total and area.id in per_area:
            number, title = numbers[area.id]
            _matrix(book, s, number, title, per_area[area.id or 0], labels)
    _boards(book, s)
    if s.overall.total <= DETAIL_LIMIT:
        _detail(book, s)

