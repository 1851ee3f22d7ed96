"""The web view's data: the matrix agrees with /baocao's counts, pages and filters; the
update form speaks the chat's words."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from bot.settings import Settings
from handlers.replies.grammar import Said, parse
from handlers.reports.summary import build_summary
from handlers.reports.web import (
    Filters,
    build_board,
    build_matrix,
    build_school,
    parse_filters,
    update_text,
)
from storage.models import UnitKind, Verdict
from storage.plans import active_plan
from storage.units import unit_by_code
from tests.handlers.conftest import TZ

TODAY = date(2024, 3, 20)


def test_matrix_totals_agree_with_the_summary(session: Session) -> None:
    plan = active_plan(session)
    assert plan is not None
    m = build_matrix(session, plan, TODAY, Filters())
    s = build_summary(session, plan, TODAY, Settings.defaults().config())
    by_code = {u.code: c for u, c, _ in s.by_unit}
    assert m.units == len(by_code)
    for row in m.rows:
        counts = by_code[row.unit.code]
        assert (row.unit.total, row.unit.done, row.unit.overdue) == (
            counts.total, counts.done, counts.overdue)
        assert sum(1 for c in row.cells if c) == row.unit.total
    assert (m.totals.total, m.totals.done, m.totals.overdue) == (
        s.overall.total, s.overall.done, s.overall.overdue)
    assert m.rows[0].unit.kind == UnitKind.OFFICE  # the office first, then by code


def test_matrix_pages_and_filters(session: Session) -> None:
    plan = active_plan(session)
    assert plan is not None
    first = build_matrix(session, plan, TODAY, Filters(page=1), page_size=10)
    third = build_matrix(session, plan, TODAY, Filters(page=3), page_size=10)
    assert first.pages == 3 and len(first.rows) == 10 and len(third.rows) == first.units - 20
    assert first.columns == third.columns  # column totals cover every page
    th = build_matrix(session, plan, TODAY, Filters(kind=UnitKind.TH))
    assert th.rows and all(r.unit.kind == UnitKind.TH for r in th.rows)
    area = build_matrix(session, plan, TODAY, Filters(area=2))
    assert area.columns and all(c.task.code.startswith("2.") for c in area.columns)
    late = build_matrix(session, plan, TODAY, Filters(verdict=Verdict.DONE_LATE))
    assert late.units == 0  # nobody has finished anything yet
    overdue = build_matrix(session, plan, TODAY, Filters(verdict=Verdict.OVERDUE))
    assert overdue.rows and all(any(c and c.verdict == Verdict.OVERDUE for c in r.cells)
                                for r in overdue.rows)
    assert all(c.dim for r in overdue.rows for c in r.cells
               if c and c.verdict != Verdict.OVERDUE)
    q1 = build_matrix(session, plan, date(2024, 12, 1), Filters(period="Q1"))
    assert q1.period is not None and q1.as_of == q1.period.covers_to


def test_filters_from_the_address_never_fail() -> None:
    assert parse_filters({"area": "x", "kind": "??", "verdict": "", "page": "-3"}) == Filters()
    f = parse_filters({"area": "2", "kind": "TH", "verdict": "overdue", "page": "2",
                       "ward": "Cát Bi", "period": "Q1"})
    assert f == Filters(2, UnitKind.TH, "Cát Bi", Verdict.OVERDUE, "Q1", 2)
    assert f.query(page=None) == {"area": "2", "kind": "TH", "ward": "Cát Bi",
                                  "verdict": "overdue", "period": "Q1"}


def test_the_form_speaks_the_chats_words() -> None:
    cases = {("1.1", "done", "", ""): (Said.DONE, None),
             ("1.2", "progress", "45", ""): (Said.PROGRESS, 45),
             ("1.2", "progress", "250", ""): (Said.PROGRESS, 99),
             ("1.3", "blocked", "", "thiếu kinh phí"): (Said.BLOCKED, None)}
    for (code, state, percent, note), (want, pct) in cases.items():
        text = update_text(code, state, percent, note)
        (u,) = parse(text).updates
        assert (u.code, u.said) == (code, want), text
        if pct is not None and want == Said.PROGRESS:
            assert u.percent == pct
    assert parse(update_text("1.3", "blocked", "", "thiếu kinh phí")).updates[0].reason == \
        "thiếu kinh phí"
    assert update_text("1.1", "", "", "") == ""


def test_school_page(session: Session) -> None:
    plan = active_plan(session)
    unit = unit_by_code(session, code="TH-CATBI")
    assert plan is not None and unit is not None
    page = build_school(session, plan, unit, TODAY, TZ)
    assert [t.code for t in page.tasks][:2] == ["1.1", "1.2"]
    first = page.tasks[0]
    assert first.verdict == Verdict.OVERDUE and first.due == "29/2/2024"
    assert first.word == "Quá hạn chưa hoàn thành"  # the report word, not "Trễ"
    assert page.open_codes == [t.code for t in page.tasks]


def test_the_board_pages_the_schools_still_owing_first(session: Session) -> None:
    plan = active_plan(session)
    assert plan is not None
    first = build_board(session, plan, TODAY, TZ, "Q1", page_size=10)
    assert (first.page, first.pages, len(first.schools)) == (1, 3, 10)
    last = build_board(session, plan, TODAY, TZ, "Q1", page=99, page_size=10)
    assert (last.page, len(last.schools)) == (3, 5)  # 25 schools: 10 + 10 + 5
    codes = [u.code for page in (1, 2, 3)
             for u, _ in build_board(session, plan, TODAY, TZ, "Q1", page=page,
                                     page_size=10).schools]
    assert len(set(codes)) == 25 and codes == sorted(codes)  # none submitted: by code
    assert [line.owing for line in first.lines] == [25] * len(first.lines)  # all, not a page
