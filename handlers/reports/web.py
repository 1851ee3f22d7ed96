"""What the web view shows, as plain data (the templates only lay it out): the staff
matrix (one page of units × the tasks in scope, row and column totals), the report
submission board and a school's page (its tasks, states, evidence and history).

Cells carry the same word and colour as the Excel matrix (`handlers.reports.cells`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from handlers import texts
from handlers.dates import day_short, moment
from handlers.reports.cells import cell
from handlers.reports.summary import current_period
from handlers.reports.tally import verdict_of
from storage.models import (
    Area,
    Contact,
    History,
    Plan,
    ReportPeriod,
    State,
    Submission,
    Task,
    Unit,
    UnitKind,
    Verdict,
)
from storage.periods import periods_of, submissions_of
from storage.plans import areas_of, tasks_of
from storage.records import Status, statuses
from storage.verdict import VERDICT_NAMES
from storage.webmatrix import MatrixScope, TaskTotal, UnitLine, cells, unit_page
from storage.webmatrix import wards as wards_of

PAGE_SIZE = 50
KIND_NAMES = {UnitKind.OFFICE: "Cơ quan", UnitKind.MN: "Mầm non", UnitKind.TH: "Tiểu học",
              UnitKind.THCS: "Trung học cơ sở", UnitKind.PT: "Phổ thông nhiều cấp"}
VERDICT_CLASS = {Verdict.DONE_ON_TIME: "v-ontime", Verdict.DONE_LATE: "v-late",
                 Verdict.PENDING: "v-pending", Verdict.OVERDUE: "v-overdue"}


@dataclass(frozen=True)
class Filters:
    area: int | None = None
    kind: UnitKind | None = None
    ward: str | None = None
    verdict: Verdict | None = None
    period: str | None = None  # a report period's code
    page: int = 1

    def query(self, **changes: object) -> dict[str, str]:
        """The filters as URL parameters (with some changed), empty ones left out."""
        values: dict[str, object] = {"area": self.area, "kind": self.kind, "ward": self.ward,
                                     "verdict": self.verdict, "period": self.period,
                                     "page": self.page if self.page > 1 else None}
        values.update(changes)
        return {k: str(v.value if hasattr(v, "value") else v) for k, v in values.items()
                if v not in (None, "")}


def parse_filters(params: dict[str, str]) -> Filters:
    """Filters from URL parameters; anything unreadable is ignored, never an error."""
    def pick(name: str) -> str:
        return (params.get(name) or "").strip()

    area = int(pick("area")) if pick("area").isdigit() else None
    kind = next((k for k in UnitKind if k.value == pick("kind")), None)
    verdict = next((v for v in Verdict if v.value == pick("verdict")), None)
    page = int(pick("page")) if pick("page").isdigit() and int(pick("page")) > 0 else 1
    return Filters(area, kind, pick("ward")[:100] or None, verdict,
                   pick("period")[:10] or None, page)


@dataclass(frozen=True)
class Cell:
    word: str
    colour: str  # RGB hex, as in the Excel matrix
    verdict: Verdict
    dim: bool  # another verdict than the one filtered on


@dataclass
class Row:
    unit: UnitLine
    cells: list[Cell | None]

    @property
    def percent(self) -> int:
        return round(100 * self.unit.done / self.unit.total) if self.unit.total else 0


@dataclass
class Column:
    task: Task
    total: TaskTotal

    @property
    def percent(self) -> int:
        return round(100 * self.total.done / self.total.total) if self.total.total else 0


@dataclass
class Matrix:
    plan: Plan
    as_of: date
    filters: Filters
    columns: list[Column]
    rows: list[Row]
    units: int  # how many units match (all pages)
    pages: int
    areas: list[Area]
    wards: list[str]
    periods: list[ReportPeriod]
    period: ReportPeriod | None = None

    @property
    def totals(self) -> TaskTotal:
        return TaskTotal(0, sum(c.total.total for c in self.columns),
                         sum(c.total.done for c in self.columns),
                         sum(c.total.overdue for c in self.columns))


def build_matrix(session: Session, plan: Plan, today: date, filters: Filters,
                 page_size: int = PAGE_SIZE) -> Matrix:
    periods = periods_of(session, plan_id=plan.id or 0)
    period = next((p for p in periods if p.code == filters.period), None)
    as_of = min(today, period.covers_to) if period else today
    scope = MatrixScope(plan.id or 0, as_of, filters.area, filters.kind, filters.ward,
                        period.covers_to if period else None, filters.verdict)
    count, units, totals = unit_page(session, scope, offset=(filters.page - 1) * page_size,
                                     limit=page_size)
    tasks = [t for t in tasks_of(session, plan_id=plan.id or 0) if t.id in totals]
    position = {t.id: i for i, t in enumerate(tasks)}
    by_unit: dict[int, list[Cell | None]] = {u.id: [None] * len(tasks) for u in units}
    task_of = {t.id or 0: t for t in tasks}
    for r in cells(session, [u.id for u in units], list(task_of)):
        task = task_of.get(r.task_id)
        if task is None:
            continue
        status = Status(r, task, None)  # type: ignore[arg-type]  # a record's fields suffice
        word, colour, _ = cell(status, as_of)
        v = verdict_of(status, as_of)
        by_unit[r.unit_id][position[r.task_id]] = Cell(
            word, colour, v, filters.verdict is not None and v != filters.verdict)
    return Matrix(plan, as_of, filters, [Column(t, totals[t.id or 0]) for t in tasks],
                  [Row(u, by_unit[u.id]) for u in units], count,
                  max(1, math.ceil(count / page_size)), areas_of(session, plan_id=plan.id or 0),
                  wards_of(session), periods, period)


# -- the report submission board -----------------------------------------------------------

@dataclass
class PeriodLine:
    period: ReportPeriod
    submitted: int
    owing: int
    late: int  # submitted after the due day


@dataclass
class Board:
    plan: Plan
    today: date
    lines: list[PeriodLine]
    selected: ReportPeriod | None
    schools: list[tuple[Unit, Submission | None]] = field(default_factory=list)  # one page
    kind: UnitKind | None = None
    page: int = 1
    pages: int = 1


def build_board(session: Session, plan: Plan, today: date, tz: ZoneInfo,
                period_code: str | None = None, kind: UnitKind | None = None,
                page: int = 1, page_size: int = PAGE_SIZE) -> Board:
    """Per period, how many schools submitted (and late); for the chosen period one page of
    schools, those still owing first (a city's 10,000 schools are never sent at once)."""
    periods = periods_of(session, plan_id=plan.id or 0)
    schools = [u for u in session.exec(select(Unit).where(Unit.active == True)  # noqa: E712
                                       .order_by(col(Unit.code)))
               if u.kind != UnitKind.OFFICE and (kind is None or u.kind == kind)]
    ids = {u.id for u in schools}
    lines: list[PeriodLine] = []
    chosen = next((p for p in periods if p.code == period_code), None) or current_period(
        periods, today)
    board = Board(plan, today, lines, chosen, kind=kind)
    for p in periods:
        subs = [s for s in submissions_of(session, period_id=p.id or 0) if s.unit_id in ids]
        late = sum(1 for s in subs if s.submitted_at.astimezone(tz).date() > p.due_on)
        lines.append(PeriodLine(p, len(subs), len(schools), late))
        if chosen is not None and p.id == chosen.id:
            by_unit = {s.unit_id: s for s in subs}
            rows = [(u, by_unit.get(u.id or 0)) for u in schools]
            rows.sort(key=lambda pair: (pair[1] is not None, pair[0].code))
            board.pages = max(1, math.ceil(len(rows) / page_size))
            board.page = min(max(1, page), board.pages)
            start = (board.page - 1) * page_size
            board.schools = rows[start:start + page_size]
    return board


# -- a school's page ---------------------------------------------------------------------

@dataclass(frozen=True)
class Evidence:
    kind: str  # "image", "link", "upload", "telegram"
    ref: str  # the URL, the uploaded file's name or the Telegram file id


@dataclass(frozen=True)
class Change:
    when: str
    who: str
    channel: str
    text: str
    state: str


@dataclass
class TaskLine:
    code: str
    content: str
    area: str
    due: str
    deadline_text: str
    state: str
    timing: str
    word: str
    colour: str
    verdict: Verdict
    verdict_name: str
    evidence: list[Evidence]
    history: list[Change]
    open: bool  # not done yet


@dataclass
class SchoolPage:
    unit: Unit
    plan: Plan
    today: date
    tasks: list[TaskLine]
    periods: list[tuple[ReportPeriod, Submission | None]]

    @property
    def open_codes(self) -> list[str]:
        return [t.code for t in self.tasks if t.open]


IMAGE_ENDINGS = (".jpg", ".jpeg", ".png", ".gif", ".webp")


def evidence_items(value: str) -> list[Evidence]:
    """The evidence field (space-separated URLs, uploads and chat file ids) as items."""
    out = []
    for item in value.split():
        if item.startswith("web:"):
            out.append(Evidence("upload", item[4:]))
        elif item.startswith("telegram:"):
            out.append(Evidence("telegram", item[9:]))
        elif item.startswith(("http://", "https://")):
            path = item.split("?", 1)[0].lower()
            image = path.endswith(IMAGE_ENDINGS) or "zdn.vn" in path or "zalo" in path
            out.append(Evidence("image" if image else "link", item))
    return out


CHANNEL_NAMES = {"telegram": "Telegram", "zalo": "Zalo", "console": "dòng lệnh",
                 "web": "trang web"}


def _state_of(values: dict[str, object]) -> str:
    state = values.get("state")
    if not state:
        return ""
    try:
        return texts.state_text(State(str(state)), int(str(values.get("percent") or 0)),
                                str(values.get("note") or ""))
    except ValueError:
        return ""


def build_school(session: Session, plan: Plan, unit: Unit, today: date, tz: ZoneInfo
                 ) -> SchoolPage:
    rows = statuses(session, plan_id=plan.id or 0, unit_id=unit.id)
    areas = {a.id: f"{a.number}. {a.title}" for a in areas_of(session, plan_id=plan.id or 0)}
    ids = [s.assignment.assignment_id for s in rows]
    names = dict(session.exec(select(Contact.id, Contact.name)).all())
    history: dict[int, list[Change]] = {}
    if ids:
        for h in session.exec(select(History).where(col(History.assignment_id).in_(ids))
                              .order_by(col(History.at), col(History.id))):
            at = h.at if h.at.tzinfo else h.at.replace(tzinfo=ZoneInfo("UTC"))
            history.setdefault(h.assignment_id or 0, []).append(Change(
                moment(at.astimezone(tz)), names.get(h.contact_id or 0, "—"),
                CHANNEL_NAMES.get(h.channel, h.channel), h.raw_text,
                "hoàn tác" if h.action == "undo" else _state_of(h.new)))
    lines = []
    for s in rows:
        a, t = s.assignment, s.task
        word, colour, _ = cell(s, today)
        v = verdict_of(s, today)
        lines.append(TaskLine(
            t.code, t.content, areas.get(t.area_id, ""), day_short(t.due_on), t.deadline_text,
            texts.state_text(a.state, a.percent, a.note),
            texts.timing(a.state, t.due_on, a.completed_on, today), word, colour, v,
            VERDICT_NAMES[v], evidence_items(a.evidence), history.get(a.assignment_id, []),
            a.state != State.DONE))
    periods = []
    for p in periods_of(session, plan_id=plan.id or 0):
        sub = next((s for s in submissions_of(session, period_id=p.id or 0)
                    if s.unit_id == unit.id), None)
        periods.append((p, sub))
    return SchoolPage(unit, plan, today, lines, periods)


def update_text(code: str, state: str, percent: str, note: str) -> str:
    """The form's choice as the words a principal would type in the chat, so that the
    core applies exactly the chat's rules: "xong 1.1", "1.2 đang làm 50%",
    "1.3 gặp khó khăn: thiếu kinh phí" (empty: no state chosen)."""
    code = code.strip()[:10]
    if state == "done":
        return f"xong {code}"
    if state == "progress":
        digits = "".join(ch for ch in percent if ch.isdigit())[:3]
        return f"{code} đang làm" + (f" {min(int(digits), 99)}%" if digits else "")
    if state == "blocked":
        note = " ".join(note.split())[:300]
        return f"{code} gặp khó khăn" + (f": {note}" if note else "")
    return ""


def moment_of(dt: datetime, tz: ZoneInfo) -> str:
    at = dt if dt.tzinfo else dt.replace(tzinfo=ZoneInfo("UTC"))
    return moment(at.astimezone(tz))
