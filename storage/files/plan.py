"""Reading a plan file (YAML, CSV, Excel, Word) into a validated PlanSpec.

Nothing here touches the database: a file is read and checked whole, and only a plan
without a single bad row reaches `storage.imports.save_plan`.
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
from storage.files.deadlines import DeadlineError, Due, parse_deadline, quarter_end
from storage.files.errors import ImportFileError
from storage.files.tables import clean, csv_table, xlsx_sheets
from storage.files.unitkinds import UnitsTextError, kinds_for
from storage.models import UnitKind
from storage.textnorm import fold

DEFAULT_PLAN = Path(__file__).parent.parent / "data" / "plan-2024.yaml"

# Header words of the appendix table (folded) → field name.
COLUMNS = {
    "stt": "code",
    "noi dung": "content",
    "don vi": "units",
    "san pham": "product",
    "thoi gian": "deadline",
    "thoi han": "deadline",
    "ghi chu": "notes",
}
COLUMN_TITLES = {
    "code": "STT",
    "content": "Nội dung công việc",
    "units": "Đơn vị thực hiện",
    "product": "Sản phẩm",
    "deadline": "Thời gian hoàn thành",
    "notes": "Ghi chú",
}
TASK_CODE = re.compile(r"\d{1,2}\.\d{1,2}")
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9,
         "x": 10}


@dataclass
class TaskSpec:
    code: str
    content: str
    units_text: str
    product: str
    deadline_text: str
    notes: str
    due: Due
    kinds: frozenset[UnitKind]


@dataclass
class AreaSpec:
    number: int
    title: str
    tasks: list[TaskSpec] = field(default_factory=list)


@dataclass
class PlanSpec:
    issuer: str
    number: str
    title: str
    year: int
    superior: str = ""
    issued_on: date | None = None
    place: str = ""
    signer_title: str = ""
    signer_name: str = ""
    recipients: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    reports: list[PeriodSpec] = field(default_factory=list)
    areas: list[AreaSpec] = field(default_factory=list)

    @property
    def tasks(self) -> list[TaskSpec]:
        return [t for a in self.areas for t in a.tasks]


@dataclass
class Row:
    """One table row with where it came from, so errors can name it."""

    number: int
    cells: dict[str, str]


class _Builder:
    """Turns rows of the appendix table into areas and tasks, checking each one."""

    def __init__(self, file: Path, year: int) -> None:
        self.file = file
        self.year = year
        self.areas: dict[int, AreaSpec] = {}
        self.current: AreaSpec | None = None
        self.seen: dict[str, int] = {}

    def error(self, row: Row, message: str, column: str | None = None) -> ImportFileError:
        return ImportFileError(self.file, message, row.number,
                               COLUMN_TITLES.get(column or "", column))

    def area(self, row: Row, number: int, title: str) -> None:
        title = re.sub(r"^[0-9ivxlIVXL]+[.)]\s*", "", title).strip()
        if number in self.areas:
            raise self.error(row, f"mục {number} xuất hiện hai lần", "code")
        self.current = self.areas[number] = AreaSpec(number, title)

    def task(self, row: Row) -> None:
        cells = row.cells
        code = cells.get("code", "")
        if code in self.seen:
            raise self.error(row, f"mã nhiệm vụ {code} trùng với dòng {self.seen[code]}", "code")
        for column in ("content", "units", "deadline"):
            if not cells.get(column):
                raise self.error(row, "ô bị bỏ trống", column)
        try:
            due = parse_deadline(cells["deadline"], self.year)
        except DeadlineError as err:
            raise self.error(row, str(err), "deadline") from err
        try:
            kinds = kinds_for(cells["units"])
        except UnitsTextError as err:
            raise self.error(row, str(err), "units") from err
        number = int(code.split(".")[0])
        area = self.areas.get(number)
        if area is None:
            area = self.areas[number] = AreaSpec(number, f"Mục {number}")
        self.seen[code] = row.number
        area.tasks.append(TaskSpec(code, cells["content"], cells["units"],
                                   cells.get("product", ""), cells["deadline"],
                                   cells.get("notes", ""), due, kinds))

    def add(self, row: Row) -> None:
        code = row.cells.get("code", "").rstrip(".")
        values = [v for v in row.cells.values() if v]
        if not values:
            return
        if TASK_CODE.fullmatch(code):
            row.cells["code"] = code
            self.task(row)
            return
        title = row.cells.get("content") or values[0]
        number = _area_number(code) or _area_number(title.split(" ")[0])
        merged = len(set(values)) == 1
        if number and (merged or not row.cells.get("deadline")):
            self.area(row, number, title)
            return
        raise self.error(row, f"không nhận ra mã nhiệm vụ “{code}” (cần dạng 1.1)", "code")

    def result(self) -> list[AreaSpec]:
        areas = [self.areas[n] for n in sorted(self.areas)]
        if not any(a.tasks for a in areas):
            raise ImportFileError(self.file, "không tìm thấy nhiệm vụ nào trong bảng")
        return areas


def _area_number(text: str) -> int | None:
    word = fold(text).strip().rstrip(".)")
    if word.isdigit():
        return int(word)
    return ROMAN.get(word)


def _header_map(cells: list[str]) -> dict[int, str] | None:
    found: dict[int, str] = {}
    for i, cell in enumerate(cells):
        words = fold(cell)
        for key, name in COLUMNS.items():
            if words.startswith(key) and name not in found.values():
                found[i] = name
                break
    if {"code", "content", "deadline"} <= set(found.values()):
        return found
    return None


def _rows_from_table(file: Path, table: list[list[Any]], first_row: int = 1) -> list[Row]:
    """Find the header row (with "STT"), then map every row below it by column."""
    found = next(((i, h) for i, raw in enumerate(table)
                  if (h := _header_map([clean(c) for c in raw]))), None)
    if found is None:
        raise ImportFileError(file, "không tìm thấy dòng tiêu đề có cột “STT”, “Nội dung”, "
                                    "“Thời gian hoàn thành”")
    index, header = found
    rows = []
    for offset, raw in enumerate(table[index + 1:], start=index + 1):
        cells = [clean(c) for c in raw]
        if _header_map(cells):
            continue  # a header repeated on a new page
        mapped = {name: cells[i] if i < len(cells) else "" for i, name in header.items()}
        # Merged area rows: all cells carry the same text, or only the first is filled.
        if not any(mapped.values()) and any(cells):
            mapped["content"] = next(c for c in cells if c)
        rows.append(Row(offset + first_row, mapped))
    return rows


def _guess_year(file: Path, texts: list[str]) -> int:
    years = re.findall(r"\bnam (20\d\d)\b", " ".join(fold(t) for t in texts))
    if not years:
        raise ImportFileError(file, "không xác định được năm của kế hoạch; hãy ghi rõ --year")
    return int(max(set(years), key=years.count))


def _plan_from_rows(file: Path, rows: list[Row], meta: dict[str, Any]) -> PlanSpec:
    texts = [v for r in rows for v in r.cells.values()] + [str(meta.get("title", ""))]
    year = int(meta.get("year") or _guess_year(file, texts))
    builder = _Builder(file, year)
    for row in rows:
        builder.add(row)
    return PlanSpec(
        issuer=meta.get("issuer") or "Phòng Giáo dục và Đào tạo",
        number=meta.get("number") or f"KH-{year}",
        title=meta.get("title") or f"Kế hoạch năm {year}",
        year=year,
        superior=meta.get("superior", ""),
        issued_on=meta.get("issued_on"),
        place=meta.get("place", ""),
        signer_title=meta.get("signer_title", ""),
        signer_name=meta.get("signer_name", ""),
        reports=default_report_calendar(year),
        areas=builder.result(),
    )


# --- YAML -------------------------------------------------------------------------------

class _PlainYaml(yaml.SafeLoader):
    """Safe YAML without anchors and aliases (a few lines of them expand to gigabytes)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "alias",
                                             self.peek_event().start_mark)  # type: ignore[no-untyped-call]
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
    rows: list[Row] = []
    counter = 0
    for area in data["areas"]:
        counter += 1
        if not isinstance(area, dict):
            raise ImportFileError(file, "mỗi mục trong “areas” phải có number, title, tasks",
                                  counter)
        rows.append(Row(counter, {"code": str(area.get("number", "")),
                                  "content": clean(area.get("title"))}))
        for task in area.get("tasks") or []:
            counter += 1
            if not isinstance(task, dict):
                raise ImportFileError(file, "nhiệm vụ phải là một bảng khóa–giá trị", counter)
            rows.append(Row(counter, {k: clean(task.get(k)) for k in
                                      ("code", "content", "units", "product", "deadline",
                                       "notes")}))
    spec = _plan_from_rows(file, rows, head)
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
    if isinstance(spec.issued_on, str):
        spec.issued_on = date.fromisoformat(spec.issued_on)
    return spec


def _covers_to(due: date) -> date:
    """A report due in a quarter's last month covers up to that quarter's end."""
    return quarter_end(due.year, (due.month - 1) // 3 + 1)


# --- CSV, Excel, Word -------------------------------------------------------------------

def _read_csv(file: Path, meta: dict[str, Any]) -> PlanSpec:
    return _plan_from_rows(file, _rows_from_table(file, csv_table(file)), meta)


def _read_xlsx(file: Path, meta: dict[str, Any]) -> PlanSpec:
    for table in xlsx_sheets(file):
        if any(_header_map([clean(c) for c in r]) for r in table):
            return _plan_from_rows(file, _rows_from_table(file, table), meta)
    raise ImportFileError(file, "không có trang tính nào chứa bảng nhiệm vụ (cột “STT”)")


def _read_docx(file: Path, meta: dict[str, Any]) -> PlanSpec:
    from docx import Document  # heavy, optional: loaded only for Word files
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(str(file))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as err:
        raise ImportFileError(file, "không mở được tệp Word (tệp hỏng hoặc sai định dạng)") \
            from err
    head = _docx_header(document)
    head.update({k: v for k, v in meta.items() if v})
    for table in document.tables:
        grid = [[cell.text for cell in row.cells] for row in table.rows]
        if any(_header_map([clean(c) for c in r]) for r in grid):
            return _plan_from_rows(file, _rows_from_table(file, grid), head)
    raise ImportFileError(file, "không tìm thấy bảng nhiệm vụ (bảng có cột “STT”) trong tệp Word")


def _docx_header(document: Any) -> dict[str, Any]:
    """Number, date, title and issuer from the top of an administrative document."""
    texts = [clean(p.text) for p in document.paragraphs if clean(p.text)]
    for table in document.tables[:1]:
        for row in table.rows:
            texts = [clean(c.text) for c in row.cells if clean(c.text)] + texts
    head: dict[str, Any] = {}
    for i, text in enumerate(texts):
        folded = fold(text)
        number = re.search(r"\bso:?\s*([0-9]+\s*/\s*[^\s,]+)", folded)
        if number and "number" not in head:
            start = number.start(1)
            head["number"] = re.sub(r"\s+", "", text[start:start + len(number.group(1))])
        when = re.search(r"ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})", folded)
        if when and "issued_on" not in head:
            d, m, y = (int(g) for g in when.groups())
            head["issued_on"], head["year"] = date(y, m, d), y
            place = text.split(",")[0].strip()
            if place and "ngay" not in fold(place):
                head["place"] = place
        if folded == "ke hoach" and i + 1 < len(texts) and "title" not in head:
            head["title"] = f"Kế hoạch {texts[i + 1]}"
        if folded.startswith("phong giao duc") and "issuer" not in head:
            head["issuer"] = text[:1] + text[1:].lower() if text.isupper() else text
    found = re.search(r"nam (20\d\d)", fold(head.get("title", "")))
    if found:
        head["year"] = int(found.group(1))
    return head


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
