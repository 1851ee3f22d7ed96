"""One snapshot as of a moment: the same figures in every format, for any date, with
nothing recorded later leaking into a backdated report."""

import csv
import io
import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from PIL import Image

from bot.settings import Settings
from handlers.reports.files import file_name, render, summary_data
from handlers.reports.labels import WORDS, Mark, lower
from handlers.reports.query import parse_query
from handlers.reports.snapshot import end_of_day, snapshot
from handlers.reports.texts import summary_text
from storage.db import session_scope
from storage.models import Verdict
from storage.periods import periods_of
from storage.plans import active_plan
from storage.units import unit_by_code, units
from storage.verdict import VERDICT_NAMES
from tests.handlers.conftest import TZ


def config_in(folder: Path):  # noqa: ANN201
    return replace(Settings.defaults().config(), files_dir=folder)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def year(linked, clock):  # noqa: ANN201
    """A year of records: MN-CATBI on time, TH-CATBI late (and its half-year report late,
    on 25/6), THCS-CATBI blocked; 1.1 of TH-CATBI done on 25/6 after its deadline."""
    mn, th, thcs = linked("MN-CATBI"), linked("TH-CATBI"), linked("THCS-CATBI")
    staff = linked("PGD")
    clock.now = at("2024-02-20 10:00")
    mn.say("xong 1.1, 1.2")
    clock.now = at("2024-03-10 10:00")
    thcs.say("1.1 gặp khó khăn: thiếu kinh phí")
    mn.say("đã nộp báo cáo quý I")
    clock.now = at("2024-06-25 10:00")
    th.say("xong 1.1")
    th.say("đã nộp báo cáo 6 tháng")
    clock.now = at("2024-12-31 16:00")
    return staff


def _figures(engine, day: date, fmt_dir: Path) -> dict[str, dict[str, int]]:  # noqa: ANN001
    """The overall figures as each format shows them, for the report as of *day*."""
    config = config_in(fmt_dir)
    keys = ["total", "on_time", "late", "pending", "due_today", "overdue"]
    with session_scope(engine) as session:
        s = snapshot(session, None, end_of_day(day, TZ))
        out = {"json": {k: summary_data(s)["overall"][k] for k in keys}}
        text = summary_text(s)
        line = next(ln for ln in text.split("\n") if ln.startswith("Toàn kế hoạch:"))
        c = s.overall
        out["text"] = {"total": int(line.split("/")[1].split(" ")[0]),
                       **{k: _number_after(line, WORDS[m].lower())
                          for k, m in [("on_time", Mark.ON_TIME), ("late", Mark.LATE),
                                       ("pending", Mark.PENDING),
                                       ("due_today", Mark.DUE_TODAY),
                                       ("overdue", Mark.OVERDUE)]}}
        xlsx = render(s, "xlsx", config)
        docx = render(s, "docx", config)
        png = render(s, "png", config)
    sheet = load_workbook(xlsx)["Tổng hợp"]
    head = [cell.value for cell in sheet[5]]
    total_row = next(r for r in sheet.iter_rows(min_row=6) if r[1].value == "Tổng cộng")
    out["xlsx"] = {"total": total_row[2].value, **{
        k: total_row[head.index(WORDS[m])].value for k, m in
        [("on_time", Mark.ON_TIME), ("late", Mark.LATE), ("pending", Mark.PENDING),
         ("due_today", Mark.DUE_TODAY), ("overdue", Mark.OVERDUE)]}}
    table = Document(str(docx)).tables[1]
    head = [cell.text for cell in table.rows[0].cells]
    last = [cell.text for cell in table.rows[-1].cells]
    assert last[1] == "Tổng cộng"
    out["docx"] = {"total": int(last[2]), **{
        k: int(last[head.index(WORDS[m])]) if WORDS[m] in head else 0 for k, m in
        [("on_time", Mark.ON_TIME), ("late", Mark.LATE), ("pending", Mark.PENDING),
         ("due_today", Mark.DUE_TODAY), ("overdue", Mark.OVERDUE)]}}
    meta = json.loads(Image.open(png).info["Description"])
    out["png"] = {"total": meta["total"], **{k: meta[k] for k in keys[1:]}}
    assert out["json"]["total"] == c.total
    return out


def _number_after(line: str, words: str) -> int:
    if words not in line:
        return 0
    return int(line.split(words + " ", 1)[1].split(";")[0].split(",")[0].rstrip("."))


@pytest.mark.parametrize("day", [date(2024, 2, 29), date(2024, 3, 26), date(2024, 6, 24),
                                 date(2024, 12, 31)])
def test_every_format_shows_the_same_figures(year, loaded, tmp_path, day) -> None:
    figures = _figures(loaded, day, tmp_path)
    assert figures["text"] == figures["json"] == figures["xlsx"] == figures["docx"] \
        == figures["png"], figures


def test_a_backdated_report_does_not_see_later_completions_or_submissions(year, loaded
                                                                          ) -> None:
    with session_scope(loaded) as session:
        plan = active_plan(session)
        q = parse_query("TH-CATBI", units(session), periods_of(session, plan_id=plan.id))
        before = snapshot(session, q, end_of_day(date(2024, 6, 24), TZ))
        after = snapshot(session, q, end_of_day(date(2024, 6, 25), TZ))
        half_q = parse_query("TH-CATBI 6 thang", units(session),
                             periods_of(session, plan_id=plan.id))
        half_after = snapshot(session, half_q, end_of_day(date(2024, 6, 25), TZ))
    assert before.from_history and not after.from_history
    assert before.overall.done == 0 and after.overall.done == 1
    half = next(b for b in before.boards if b.name == "Báo cáo 6 tháng đầu năm 2024")
    assert half.submitted == [] and len(half.missing) == 1
    assert "Báo cáo 6 tháng đầu năm 2024" not in [b.name for b in after.boards]  # not owed
    (row,) = half_after.boards[0].rows
    assert row.submitted_at is not None and row.days_late == 1


def test_the_backdated_docx_of_a_school_says_it_had_not_submitted(year, loaded, tmp_path
                                                                  ) -> None:
    with session_scope(loaded) as session:
        plan = active_plan(session)
        periods = periods_of(session, plan_id=plan.id)
        q = parse_query("TH-CATBI 6 thang", units(session), periods)
        s = snapshot(session, q, end_of_day(date(2024, 6, 24), TZ))
        path = render(s, "docx", config_in(tmp_path))
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "0/1 trường đã nộp" in text and "1/1 trường đã nộp" not in text


@pytest.mark.parametrize("moment", ["2024-06-25 17:00", "2024-06-30 09:00",
                                    "2024-12-31 17:00"])  # no task due; one; seventeen
@pytest.mark.parametrize("words", ["", "mn", "muc 1", "1.1", "TH-CATBI", "6 thang",
                                   "th muc 1", "TH-CATBI 1.1"])
def test_counting_in_the_database_agrees_with_replaying_every_record(year, loaded, moment,
                                                                     words) -> None:
    """The database's counts (what /baocao reads) and a replay of the history, school by
    school, say the same for days on which no task, one task or most tasks fall due, for
    the whole plan and filtered, with a closed school left out of both."""
    with session_scope(loaded) as session:
        closed = unit_by_code(session, code="TH-NAMHAI")
        assert closed is not None
        closed.active = False  # a school closed this year: no roster import does it yet
        plan = active_plan(session)
        q = parse_query(words, units(session), periods_of(session, plan_id=plan.id))
        fast = snapshot(session, q, at(moment), replay=False)
        slow = snapshot(session, q, at(moment), replay=True)
        assert summary_data(fast) == summary_data(slow)
        assert [(r.unit.code, r.task.code, r.assignment.state) for r in fast.rows] == \
            [(r.unit.code, r.task.code, r.assignment.state) for r in slow.rows]
        assert "TH-NAMHAI" not in {u.code for u, _, _ in fast.by_unit}
        assert [(a.number, c) for a, c in fast.by_area] == \
            [(a.number, c) for a, c in slow.by_area]
    assert fast.overall.total > 0
    if words == "" and not moment.startswith("2024-06-25"):
        assert fast.overall.due_today > 0  # the days chosen for a deadline are one


def test_a_backdated_report_cuts_at_local_midnight(linked, loaded, clock) -> None:
    """Times are stored in UTC (7 hours behind): a reply at 23:30 on 24/6 belongs to the
    report as of 24/6, one at 00:30 on 25/6 (still 24/6 in UTC) does not — on every
    database."""
    mn, th = linked("MN-CATBI"), linked("TH-CATBI")
    clock.now = at("2024-06-24 23:30")
    mn.say("xong 1.1")
    clock.now = at("2024-06-25 00:30")
    th.say("xong 1.1")
    th.say("đã nộp báo cáo 6 tháng")
    clock.now = at("2024-07-01 09:00")
    with session_scope(loaded) as session:
        plan = active_plan(session)
        half = parse_query("6 thang", units(session), periods_of(session, plan_id=plan.id))
        on_24 = snapshot(session, half, end_of_day(date(2024, 6, 24), TZ))
        on_25 = snapshot(session, half, end_of_day(date(2024, 6, 25), TZ))
    assert on_24.from_history and on_24.overall.done == 1
    assert on_24.boards[0].submitted == []
    assert on_25.overall.done == 2
    (row,) = [r for r in on_25.boards[0].rows if r.unit.code == "TH-CATBI"]
    assert row.submitted_at == at("2024-06-25 00:30") and row.days_late == 1


def test_the_year_end_report_does_not_contradict_itself(year, loaded) -> None:
    with session_scope(loaded) as session:
        s = snapshot(session, None, end_of_day(date(2024, 12, 31), TZ))
    # on 31/12 every deadline has come: nothing is "not yet due"
    assert s.overall.pending == 0
    assert s.due_by_now == s.overall.total
    text = summary_text(s)
    assert "chưa đến hạn (đang thực hiện) 0" in text
    assert f"đến hạn hôm nay {s.overall.due_today}" in text
    assert f"Việc đã đến hạn được hoàn thành đúng hạn: {s.on_time_due}/{s.overall.total}" \
        in text


def test_on_26_march_the_overdue_quarter_report_is_still_owed(year, loaded, clock) -> None:
    clock.now = at("2024-03-26 09:00")
    text = year.say("/baocao")
    assert "Báo cáo quý I năm 2024 (hạn 25/3/2024, đã quá hạn 1 ngày): 1/25 trường đã nộp" \
        in text
    assert "Báo cáo 6 tháng đầu năm 2024 (hạn 24/6/2024)" in text  # and the next one
    assert text.index("Báo cáo quý I") < text.index("Báo cáo 6 tháng")


def test_a_period_staff_closed_is_no_longer_owed(year, loaded, clock) -> None:
    clock.now = at("2024-03-27 09:00")
    answer = year.say("/dongky quy 1")
    assert answer == ("Đã kết thúc kỳ Báo cáo quý I năm 2024 (hạn 25/3/2024); 24 trường chưa"
                      " nộp không còn được nhắc.")
    assert "Báo cáo quý I" not in year.say("/baocao")
    clock.now = at("2024-03-28 09:00")
    # a backdated report still shows it owed before it was closed
    with session_scope(loaded) as session:
        s = snapshot(session, None, end_of_day(date(2024, 3, 26), TZ))
    assert s.boards[0].name == "Báo cáo quý I năm 2024" and not s.boards[0].closed


def test_file_names_carry_the_report_name_not_its_code(year, loaded, clock) -> None:
    clock.now = at("2024-03-26 09:00")
    (message,) = year.send("/baocao quy 1 xlsx")
    assert message.file.name == "bao-cao-20240326-bao-cao-quy-i-nam-2024.xlsx"
    for code in ("Q1", "H1", "Q3"):
        assert code not in message.file.name and code not in message.text
    with session_scope(loaded) as session:
        s = snapshot(session, None, at("2024-03-26 09:00"))
        assert "-Q1" not in file_name(s, "docx") and "H1" not in file_name(s, "png")


def test_the_word_report_is_ready_to_sign(year, loaded, tmp_path) -> None:
    with session_scope(loaded) as session:
        s = snapshot(session, None, end_of_day(date(2024, 3, 26), TZ))
        path = render(s, "docx", config_in(tmp_path))
    doc = Document(str(path))
    section = doc.sections[0]
    assert section.different_first_page_header_footer  # no number on page 1
    assert "PAGE" in section.header._element.xml  # numbers from page 2
    result = doc.tables[1]
    assert 'w:tblHeader w:val="true"' in result.rows[0]._tr.xml  # repeated on each page
    assert [c.text for c in result.rows[1].cells][:2] == [
        "1", "Công tác lãnh đạo, chỉ đạo, tuyên truyền và kiểm tra, giám sát việc thực "
        "hiện CCHC"]  # no "1" then "1. Công tác…"
    total = result.rows[-1].cells
    assert total[1].text == "Tổng cộng" and all(r.bold for r in total[1].paragraphs[0].runs)
    headings = [p for p in doc.paragraphs if p.text in (
        "I. KẾT QUẢ THỰC HIỆN", "II. ĐÁNH GIÁ CHUNG", "III. TỒN TẠI, HẠN CHẾ",
        "V. ĐỀ XUẤT, KIẾN NGHỊ")]
    assert len(headings) == 4 and all(p.paragraph_format.keep_with_next for p in headings)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "[Bổ sung" in text and "về Phòng GD&ĐT" in text  # staff write these parts
    assert "tỷ lệ hoàn thành đúng hạn của các việc đã đến hạn đạt" in text
    appendix = doc.tables[-1]
    assert [c.text for c in appendix.rows[0].cells] == [
        "STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Kết quả", "Sản phẩm/minh chứng",
        "Ghi chú"]
    assert len(appendix.rows) == 1 + len(s.tasks) == 1 + 21
    assert "THCS-CATBI: thiếu kinh phí" in appendix.rows[1].cells[6].text


def test_the_whole_plan_report_is_titled_by_its_day_not_an_owed_report(year, loaded,
                                                                        tmp_path) -> None:
    """At year end the quarter-I report is still owed by some schools; the Word report of
    the whole plan is still the report to 31/12, not 'quý I'."""
    with session_scope(loaded) as session:
        s = snapshot(session, None, end_of_day(date(2024, 12, 31), TZ))
        assert s.boards and s.asked is None
        path = render(s, "docx", config_in(tmp_path))
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "ngành Giáo dục và Đào tạo đến ngày 31/12/2024" in text
    assert "quý I năm 2024\n" not in text


def test_a_school_report_leaves_out_the_office_own_tasks(year, loaded, tmp_path) -> None:
    with session_scope(loaded) as session:
        plan = active_plan(session)
        q = parse_query("MN-CATBI", units(session), periods_of(session, plan_id=plan.id))
        s = snapshot(session, q, end_of_day(date(2024, 3, 26), TZ))
        path = render(s, "docx", config_in(tmp_path))
    appendix = Document(str(path)).tables[-1]
    codes = [r.cells[1].text.split(".")[0] + "." + r.cells[1].text.split(".")[1]
             for r in appendix.rows[1:]]
    assert "1.3" not in codes and "1.1" in codes  # 1.3 is the office's own task
    assert appendix.rows[1].cells[4].text == "Hoàn thành đúng hạn"


FORMULA = '=HYPERLINK("//evil.example/p","Xem")'


@pytest.mark.parametrize("payload", [FORMULA, "+1+1", "-2+3", "@SUM(A1)", "\t=1+2", "\r=3+4"])
def test_text_that_looks_like_a_formula_is_neutralised(linked, loaded, tmp_path, clock,
                                                       payload) -> None:
    from storage.export import export_rows, to_csv
    from storage.models import Unit

    staff = linked("PGD")
    staff.say(f"THCS-CATBI 1.1 gặp khó khăn: {payload}")
    with session_scope(loaded) as session:
        unit = session.get(Unit, next(u.id for u in units(session) if u.code == "TH-CATBI"))
        unit.name = payload  # as if a roster had carried it
        session.add(unit)
    with session_scope(loaded) as session:
        s = snapshot(session, None, clock.now)
        path = render(s, "xlsx", config_in(tmp_path))
        rows = export_rows(session, today=clock.now.date(), tz=TZ)
    book = load_workbook(path)
    cells = [c for ws in book for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and payload.strip() in c.value]
    assert cells, "the payload is in the file"
    assert all(c.data_type == "s" and c.value.startswith("'") for c in cells)
    data = to_csv(rows)
    assert data.startswith("\ufeff")
    read = list(csv.DictReader(io.StringIO(data.lstrip("\ufeff"), newline="")))
    risky = [r for r in read if payload.strip() in r["note"] or payload.strip() in
             r["unit_name"]]
    assert risky and all(not r["note"].startswith(("=", "+", "-", "@", "\t", "\r"))
                         and not r["unit_name"].startswith(("=", "+", "-", "@", "\t", "\r"))
                         for r in risky)


def test_every_legend_uses_the_same_words(year, loaded, tmp_path) -> None:
    with session_scope(loaded) as session:
        s = snapshot(session, None, end_of_day(date(2024, 3, 26), TZ))
        path = render(s, "xlsx", config_in(tmp_path))
    book = load_workbook(path)
    words = [WORDS[m] for m in Mark.__members__.values()]
    summary = [c.value for row in book["Tổng hợp"].iter_rows() for c in row if c.value]
    assert all(w in summary for w in words)
    matrix = book["Mục 1"]
    cells = {c.value for row in matrix.iter_rows(min_row=5) for c in row
             if c.fill.fgColor.rgb not in ("00000000", None) and c.value}
    assert cells and all(any(c.startswith(w) for w in words) for c in cells
                         if c not in ("Tổng cộng", "Số đơn vị đã hoàn thành"))
    # the old words that contradicted the legend are gone
    assert not {"Trễ", "Quá hạn", "Đúng hạn", "Chưa"} & cells


def test_the_web_view_names_verdicts_with_the_report_words() -> None:
    """The web view's filter and school page (storage.verdict) say what the reports say."""
    same = {Verdict.DONE_ON_TIME: Mark.ON_TIME, Verdict.DONE_LATE: Mark.LATE,
            Verdict.PENDING: Mark.PENDING, Verdict.OVERDUE: Mark.OVERDUE}
    assert {v: VERDICT_NAMES[v] for v in same} == {v: lower(m) for v, m in same.items()}
