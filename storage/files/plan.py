"""Reading a plan file (YAML, CSV, Excel, Word) into a checked PlanSpec.

Offices write their appendix tables in many shapes; this reader takes them as they come:
headers found by meaning (`storage.files.headers`), area rows with an Arabic or Roman number
and the title merged across or the title alone, tasks numbered `1.1`, `1.` … `42.`
straight through, `a)` items or not numbered at all (codes are then generated: `2.3`),
several tables as areas of one plan, cells merged down filled down, repeated header rows,
numbering rows and note rows skipped. Nothing is guessed silently: a row it cannot read is
refused with its file, row and column, and whatever it decided on the reader's behalf
(an empty deadline read as ongoing, a note row skipped) is a warning.

Nothing here touches the database: which units a phrase names is decided later, against
the office's roster (`storage.unitphrases`).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from storage.calendar import PeriodSpec, default_report_calendar, parse_day_month
from storage.files.deadlines import DeadlineError, Due, parse_deadline, plan_end, quarter_end
from storage.files.errors import ImportFileError
from storage.files.headers import ROLE_TITLES, Header, find_header, header_of
from storage.files.tables import clean, csv_table, xlsx_grids
from storage.issuer import HeaderInfo, read_header
from storage.models import DueKind
from storage.textnorm import fold

DEFAULT_PLAN = Path(__file__).parent.parent / "data" / "plan-2024.yaml"

DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.?")
INTEGER = re.compile(r"(\d{1,3})[.)]?")
ROMAN_CODE = re.compile(r"(?i)(x{0,2}(?:ix|iv|v?i{0,3}))[.)]?")
LETTER = re.compile(r"(?i)([a-zđ])[).]")
BULLET = re.compile(r"[-+•*–]")
NOTE = re.compile(r"(ghi chu|luu y|chu thich|nguon|\*)")
NUMBERING_CELL = re.compile(r"\(?\d{1,2}\)?|\(?[a-z]\)?")


@dataclass
class TaskSpec:
    code: str
    content: str
    units_text: str  # lead units, as written
    product: str
    deadline_text: str
    notes: str
    due: Due
    partners_text: str = ""
    row: int = 0
    where: str = ""  # "dòng 7" or "bảng 2, dòng 3": for messages
    order: int = 0  # place in the document


@dataclass
class AreaSpec:
    number: int
    title: str
    tasks: list[TaskSpec] = field(default_factory=list)


@dataclass
class Warning:
    row: int
    message: str
    where: str = ""


@dataclass
class PlanSpec:
    issuer: str
    number: str
    title: str
    year: int
    issuer_short: str = ""
    superior: str = ""
    issued_on: date | None = None
    place: str = ""
    signer_title: str = ""
    signer_name: str = ""
    school_year: bool = False
    recipients: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    reports: list[PeriodSpec] = field(default_factory=list)
    areas: list[AreaSpec] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    file: str = ""

    @property
    def tasks(self) -> list[TaskSpec]:
        return [t for a in self.areas for t in a.tasks]


@dataclass
class Row:
    """One table row with where it came from, so errors can name it."""

    number: int
    cells: dict[str, str]
    raw: list[str] = field(default_factory=list)
    table: int | None = None  # the table's number when a document has several

    @property
    def where(self) -> str:
        return f"bảng {self.table}, dòng {self.number}" if self.table else f"dòng {self.number}"


@dataclass
class Part:
    """One table of the plan, with the heading written above it (if any)."""

    grid: list[list[str]]
    heading: str = ""
    table: int | None = None


class _Builder:
    """Turns rows into areas and tasks, checking each one."""

    def __init__(self, file: Path, year: int, school_year: bool) -> None:
        self.file, self.year, self.school_year = file, year, school_year
        self.areas: dict[int, AreaSpec] = {}
        self.current: AreaSpec | None = None
        self.roman = False  # the current area was numbered I, II…: 1., 2. are tasks
        self.parent: str | None = None  # a task heading whose a), b) items follow
        self.seen: dict[str, str] = {}
        self.warnings: list[Warning] = []
        self.header: Header | None = None
        self.heading = ""

    def error(self, row: Row, message: str, role: str | None = None) -> ImportFileError:
        column = None
        if role and self.header is not None:
            column = self.header.titles.get(role) or ROLE_TITLES.get(role)
        return ImportFileError(self.file, message, row.number, column, table=row.table)

    def new_area(self, row: Row | None, number: int | None, title: str,
                 roman: bool = False) -> None:
        title = re.sub(r"^([0-9]{1,2}|[ivxlIVXL]{1,5})[.)/]\s*", "", title).strip()
        if number is None:
            number = max(self.areas, default=0) + 1
        if number in self.areas:
            if row is None:
                number = max(self.areas) + 1
            else:
                raise self.error(row, f"mục {number} xuất hiện hai lần", "code")
        self.current = self.areas[number] = AreaSpec(number, title)
        self.roman, self.parent = roman, None

    def start_part(self, part: Part) -> None:
        self.current, self.roman, self.parent = None, False, None
        self.heading = part.heading

    def area_for_task(self) -> AreaSpec:
        if self.current is None:
            heading = self.heading
            number = _area_number(heading.split(" ")[0]) if heading else None
            self.new_area(None, number if number not in self.areas else None,
                          heading or "Nhiệm vụ")
        assert self.current is not None
        return self.current

    def task(self, row: Row, code: str | None, content: str) -> None:
        cells = row.cells
        if not content:
            raise self.error(row, "ô nội dung bị bỏ trống", "content")
        if not cells.get("lead"):
            raise self.error(row, "chưa ghi đơn vị chủ trì, thực hiện", "lead")
        deadline = cells.get("deadline", "")
        if deadline:
            try:
                due = parse_deadline(deadline, self.year, self.school_year)
            except DeadlineError as err:
                raise self.error(row, str(err), "deadline") from err
        else:
            end = plan_end(self.year, self.school_year)
            due = Due(DueKind.ONGOING, None, end)
            self.warnings.append(Warning(row.number, "chưa ghi thời hạn: coi là nhiệm vụ "
                                         f"thường xuyên đến {end:%d/%m/%Y}", row.where))
        if code is None:
            area = self.area_for_task()
            code = f"{area.number}.{len(area.tasks) + 1}"
            while code in self.seen:
                code = f"{area.number}.{int(code.split('.')[1]) + 1}"
        else:
            number = int(code.split(".")[0])
            area = self.areas.get(number) or self.current or self.area_for_task()
            if number not in self.areas:
                area = self.areas[number] = AreaSpec(number, f"Mục {number}")
                self.current = area
        if code in self.seen:
            raise self.error(row, f"mã nhiệm vụ {code} trùng với {self.seen[code]}", "code")
        if int(code.split(".")[1]) > 99:
            raise self.error(row, "một mục có quá 99 nhiệm vụ", "code")
        self.seen[code] = row.where
        area.tasks.append(TaskSpec(code, content, cells["lead"], cells.get("product", ""),
                                   deadline, cells.get("notes", ""), due,
                                   cells.get("partners", ""), row.number, row.where,
                                   len(self.seen)))

    def add(self, row: Row) -> None:
        cells = row.cells
        values = [v for v in row.raw if v]
        if not values:
            return
        code = cells.get("code", "").strip()
        content = cells.get("content", "")
        filled = {k for k, v in cells.items() if v and k != "code"}
        distinct = {v for v in values if v != code}
        title_like = not ({"lead", "deadline"} & filled) or len(distinct) == 1
        if all(NUMBERING_CELL.fullmatch(fold(v)) for v in values) and len(values) > 2:
            return  # the (1) (2) (3) row under a header
        if len(set(values)) == 1 and NOTE.match(fold(values[0])):
            self.warnings.append(Warning(row.number, f"bỏ qua dòng ghi chú “{values[0][:60]}”",
                                         row.where))
            return
        title = content or values[0]
        if len(set(values)) == 1:  # one text merged across the whole row: an area title
            first = values[0].split(" ")[0]
            number = _area_number(first)
            self.new_area(row, number if number not in self.areas else None, values[0],
                          roman=bool(number) and not fold(first).rstrip(".)/").isdigit())
            return
        if DOTTED.fullmatch(code):
            found = DOTTED.fullmatch(code)
            assert found is not None
            self.parent = None
            self.task(row, f"{int(found.group(1))}.{int(found.group(2))}", content)
        elif code and ROMAN_CODE.fullmatch(code) and fold(code).rstrip(".)") in ROMAN:
            self.new_area(row, ROMAN[fold(code).rstrip(".)")], title, roman=True)
        elif INTEGER.fullmatch(code):
            number = int(code.rstrip(".)"))
            if title_like and not self.roman and (self.current is None or len(distinct) == 1
                                                  or not self.current.tasks
                                                  or number != len(self.current.tasks) + 1):
                self.new_area(row, number, title)
            elif title_like and not {"lead", "deadline"} & filled:
                self.parent = content.rstrip(" :")
            else:
                self.parent = None
                self.task(row, None, content)
        elif LETTER.fullmatch(code) or BULLET.fullmatch(code):
            self.task(row, None, f"{self.parent}: {content}" if self.parent else content)
        elif code:
            raise self.error(row, f"không nhận ra số thứ tự “{code}” (cần dạng 1.1, 1., I, a))",
                             "code")
        elif title_like and len(distinct) == 1:
            number = _area_number(title.split(" ")[0])
            self.new_area(row, number if number not in self.areas else None, title)
        else:
            self.task(row, None, content)

    def result(self) -> list[AreaSpec]:
        areas = [a for a in self.areas.values() if a.tasks]
        if not areas:
            raise ImportFileError(self.file, "không tìm thấy nhiệm vụ nào trong bảng")
        for empty in (a for a in self.areas.values() if not a.tasks):
            self.warnings.append(Warning(0, f"mục {empty.number} “{empty.title}” không có "
                                         "nhiệm vụ nào"))
        return sorted(areas, key=lambda a: a.number)


ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9,
         "x": 10, "xi": 11, "xii": 12, "xiii": 13, "xiv": 14, "xv": 15}


def _area_number(text: str) -> int | None:
    word = fold(text).strip().rstrip(".)/")
    if word.isdigit() and len(word) <= 2:
        return int(word)
    return ROMAN.get(word)


def _located(file: Path, parts: list[Part]) -> list[tuple[Part, int, Header]]:
    """The task tables and their header rows; refused, naming what is missing, if none."""
    seen_headers: list[list[str]] = []
    found: list[tuple[Part, int, Header]] = []
    missing: tuple[Header, int | None] | None = None
    for part in parts:
        located = find_header(part.grid)
        if located is None:
            seen_headers.append(next((r for r in part.grid if sum(bool(c) for c in r) > 1),
                                     []))
        elif located[1].missing:
            missing = missing or (located[1], part.table)
        else:
            found.append((part, *located))
    if found:
        return found
    if missing is not None:
        header, table = missing
        wanted = ", ".join(f"“{ROLE_TITLES[r]}”" for r in header.missing)
        seen = ", ".join(f"“{t}”" for t in header.seen if t)
        raise ImportFileError(file, f"bảng nhiệm vụ thiếu cột {wanted}; các cột đọc được: "
                                    f"{seen}", table=table)
    seen = ", ".join(f"“{c}”" for r in seen_headers for c in r if c)
    raise ImportFileError(file, "không tìm thấy dòng tiêu đề của bảng nhiệm vụ (cần các cột "
                                "nội dung, đơn vị chủ trì/thực hiện và thời gian)"
                                + (f"; dòng đầu của bảng có: {seen}" if seen else ""))


def _rows(located: list[tuple[Part, int, Header]], builder: _Builder) -> None:
    """Map every row of every table by its header, then hand it to the builder."""
    for part, index, header in located:
        builder.header = header
        builder.start_part(part)
        for number, raw in enumerate(part.grid[index + 1:], start=index + 2):
            again = header_of(raw)
            if again is not None and again.columns == header.columns:
                continue  # the header printed again on a new page
            cells = {role: raw[i] if i < len(raw) else "" for i, role in header.columns.items()}
            builder.add(Row(number, cells, raw, part.table))


YEAR_WORDS = re.compile(r"\bnam (20\d\d)\b")
SCHOOL_YEAR = re.compile(r"\bnam hoc (20\d\d)\s*[-–/]\s*(20\d\d)\b")


def _plan_from_parts(file: Path, parts: list[Part], head: HeaderInfo,
                     meta: dict[str, Any]) -> PlanSpec:
    located = _located(file, parts)
    title = meta.get("title") or head.title
    found = SCHOOL_YEAR.search(fold(title or ""))
    school_year = bool(found)
    if meta.get("year"):
        year = int(meta["year"])
    elif found:
        year = int(found.group(1))
    else:
        year = _year_from(file, [title or "", *head.texts,
                                 *(c for p in parts for r in p.grid for c in r)],
                          head.issued_on)
    builder = _Builder(file, year, school_year)
    _rows(located, builder)
    areas = builder.result()
    spec = PlanSpec(
        issuer=meta.get("issuer") or head.issuer,
        issuer_short=meta.get("issuer_short") or "",
        number=meta.get("number") or head.number or f"KH-{year}",
        title=title or f"Kế hoạch năm {year}",
        year=year,
        superior=meta.get("superior") or head.superior,
        issued_on=meta.get("issued_on") or head.issued_on,
        place=meta.get("place") or head.place,
        signer_title=meta.get("signer_title") or head.signer_title,
        signer_name=meta.get("signer_name") or head.signer_name,
        school_year=school_year,
        reports=default_report_calendar(year),
        areas=areas,
        warnings=builder.warnings,
        file=file.name,
    )
    return spec


def _year_from(file: Path, texts: list[str], issued_on: date | None) -> int:
    years = [int(y) for t in texts for y in YEAR_WORDS.findall(fold(t))]
    if years:
        return max(set(years), key=years.count)
    if issued_on is not None:
        return issued_on.year
    raise ImportFileError(file, "không xác định được năm của kế hoạch; hãy ghi rõ --year")


# --- YAML -------------------------------------------------------------------------------

YAML_COLUMNS = ("code", "content", "units", "partners", "product", "deadline", "notes")


class _PlainYaml(yaml.SafeLoader):
    """Safe YAML without anchors and aliases (a few lines of them expand to gigabytes)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "alias", None)
        return super().compose_node(parent, index)


MAX_YAML = 5 * 2**20  # a plan of a few hundred tasks is some 100 kB


def _read_yaml(file: Path, meta: dict[str, Any]) -> PlanSpec:
    if file.stat().st_size > MAX_YAML:
        raise ImportFileError(file, "tệp YAML quá lớn (quá 5 MB)")
    try:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=_PlainYaml)  # noqa: S506
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        line = getattr(getattr(err, "problem_mark", None), "line", None)
        raise ImportFileError(file, f"tệp YAML hỏng ({err.__class__.__name__})",
                              None if line is None else line + 1) from err
    if not isinstance(data, dict) or not isinstance(data.get("areas"), list):
        raise ImportFileError(file, "tệp YAML cần có khóa “plan” và danh sách “areas”")
    head = dict(data.get("plan") or {})
    head.update({k: v for k, v in meta.items() if v})
    grid: list[list[str]] = [["STT", "Nội dung", "Đơn vị thực hiện", "Đơn vị phối hợp",
                              "Sản phẩm", "Thời gian", "Ghi chú"]]
    for number, area in enumerate(data["areas"], start=2):
        if not isinstance(area, dict):
            raise ImportFileError(file, "mỗi mục trong “areas” phải có number, title, tasks",
                                  number)
        grid.append([str(area.get("number", "")), clean(area.get("title"))] + [""] * 5)
        for task in area.get("tasks") or []:
            if not isinstance(task, dict):
                raise ImportFileError(file, "nhiệm vụ phải là một bảng khóa–giá trị",
                                      len(grid) + 1)
            grid.append([clean(task.get(k)) for k in YAML_COLUMNS])
    issued = head.get("issued_on")
    if isinstance(issued, str):
        head["issued_on"] = date.fromisoformat(issued)
    spec = _plan_from_parts(file, [Part(grid)], HeaderInfo(), head)
    spec.recipients = [clean(r) for r in head.get("recipients") or []]
    spec.targets = [clean(t) for t in head.get("targets") or []]
    if head.get("reports"):
        spec.reports = []
        for i, rep in enumerate(head["reports"], start=1):
            try:
                due = parse_day_month(rep["due"], spec.year)
                spec.reports.append(PeriodSpec(str(rep["code"]), clean(rep["name"]), due,
                                               date(spec.year, 1, 1), _covers_to(due)))
            except (KeyError, ValueError, TypeError) as err:
                raise ImportFileError(file, f"lịch báo cáo thứ {i} không hợp lệ: {err}",
                                      column="reports") from err
    return spec


def _covers_to(due: date) -> date:
    """A report due in a quarter's last month covers up to that quarter's end."""
    return quarter_end(due.year, (due.month - 1) // 3 + 1)


# --- CSV, Excel, Word -------------------------------------------------------------------

def _grid(rows: list[list[Any]]) -> list[list[str]]:
    return [[clean(c) for c in r] for r in rows]


def _read_csv(file: Path, meta: dict[str, Any]) -> PlanSpec:
    return _plan_from_parts(file, [Part(_grid(csv_table(file)))], HeaderInfo(), meta)


def _read_xlsx(file: Path, meta: dict[str, Any]) -> PlanSpec:
    parts: list[Part] = []
    lines: list[str] = []
    for grid in xlsx_grids(file):
        located = find_header(grid)
        top = grid[:located[0]] if located else grid[:12]
        lines += [c for r in top for c in r if c]
        parts.append(Part(grid))
    return _plan_from_parts(file, parts, read_header(lines, []), meta)


def _read_docx(file: Path, meta: dict[str, Any]) -> PlanSpec:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = Document(str(file))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as err:
        raise ImportFileError(file, "không mở được tệp Word (tệp hỏng hoặc sai định dạng)") \
            from err
    before: list[str] = []  # lines above the first task table: the header block
    after: list[str] = []  # lines below the last one: the signature
    parts: list[Part] = []
    heading = ""
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            grid = [[cell.text for cell in row.cells] for row in block.rows]
            cleaned = _grid(grid)
            if find_header(cleaned) is None:
                lines = [line for r in grid for c in _unique(r) for line in c.split("\n")]
                (after if parts else before).extend(clean(x) for x in lines if clean(x))
                continue
            parts.append(Part(cleaned, heading))
            after, heading = [], ""
        else:
            text = clean(block.text)
            if not text:
                continue
            (after if parts else before).append(text)
            heading = text
    if len(parts) > 1:
        for number, part in enumerate(parts, start=1):
            part.table = number
    return _plan_from_parts(file, parts, read_header(before, after), meta)


def _unique(cells: list[str]) -> list[str]:
    out: list[str] = []
    for c in cells:
        if c not in out:
            out.append(c)
    return out


READERS = {
    ".yaml": _read_yaml,
    ".yml": _read_yaml,
    ".csv": _read_csv,
    ".xlsx": _read_xlsx,
    ".docx": _read_docx,
}


def read_plan(path: str | Path, **meta: Any) -> PlanSpec:
    """Read and check a whole plan file. *meta* (year, number, title, issuer …) overrides
    what the file says about itself."""
    file = Path(path)
    reader = READERS.get(file.suffix.lower())
    if reader is None:
        raise ImportFileError(file, "định dạng không hỗ trợ; dùng .yaml, .csv, .xlsx hoặc .docx")
    if not file.is_file():
        raise ImportFileError(file, "không tìm thấy tệp")
    try:
        return reader(file, {k: v for k, v in meta.items() if v is not None})
    except SyntaxError as err:  # broken XML inside an .xlsx or .docx
        raise ImportFileError(file, "tệp bị hỏng (nội dung XML bên trong không đọc được)"
                              ) from err
    except (TypeError, AttributeError, KeyError, IndexError, RecursionError) as err:
        raise ImportFileError(file, "nội dung không đúng cấu trúc kế hoạch (một giá trị sai "
                                    "kiểu, ví dụ một danh sách ở chỗ cần chữ)") from err


def default_plan() -> PlanSpec:
    return read_plan(DEFAULT_PLAN)
