"""The Excel file's cells are written through a fast path (each distinct cell made into XML
once); it writes exactly what openpyxl's own writer writes."""

import zipfile
from datetime import date
from pathlib import Path

import pytest

from handlers.reports import xlsx
from handlers.reports.query import parse_query
from handlers.reports.snapshot import end_of_day, snapshot
from handlers.reports.xlsx import write_xlsx
from storage.db import session_scope
from storage.periods import periods_of
from storage.plans import active_plan
from storage.units import units
from tests.handlers.conftest import TZ, at


@pytest.fixture
def busy(linked, clock):  # noqa: ANN201
    """Records of every kind: done on time and late, in progress, blocked with a reason
    that looks like a formula, a report submitted late, another not at all."""
    mn, th, thcs = linked("MN-CATBI"), linked("TH-CATBI"), linked("THCS-CATBI")
    clock.now = at("2024-02-20", "10:00")
    mn.say("xong 1.1, 1.2")
    mn.say("2.1 đang làm 40%")
    clock.now = at("2024-03-27", "10:00")
    thcs.say('1.1 gặp khó khăn: =HYPERLINK("//evil.example/p","Xem")')
    th.say("đã nộp báo cáo quý I")
    clock.now = at("2024-06-25", "10:00")
    th.say("xong 1.1")
    clock.now = at("2024-12-31", "16:00")


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}  # its time


@pytest.mark.parametrize("day, ask", [(date(2024, 4, 2), ""), (date(2024, 12, 31), ""),
                                      (date(2024, 4, 2), "TH-CATBI quy 1")])
def test_the_fast_cell_writer_writes_what_openpyxl_writes(busy, loaded, tmp_path, day, ask
                                                          ) -> None:
    with session_scope(loaded) as session:
        plan = active_plan(session)
        q = parse_query(ask, units(session), periods_of(session, plan_id=plan.id))
        s = snapshot(session, q, end_of_day(day, TZ))
        s.rows  # loaded inside the transaction  # noqa: B018
    fast = _members(write_xlsx(s, tmp_path / "fast.xlsx"))
    plain = _members(write_xlsx(s, tmp_path / "plain.xlsx", fast=False))
    assert fast.keys() == plain.keys()
    for name, data in plain.items():
        assert fast[name] == data, name
    sheets = b"".join(v for k, v in fast.items() if k.startswith("xl/worksheets/"))
    assert b"<f>" not in sheets  # no formula: the blocked reason is neutralised
    assert (b"'=HYPERLINK" in sheets) == (not ask)  # (a school's report shows its own)


def _sheet_xml(tmp_path: Path, fast: bool, rows) -> bytes:  # noqa: ANN001
    """One sheet of the rows *rows(ws)* makes, through the fast writer or openpyxl's."""
    book = xlsx.Workbook(write_only=True)
    if fast:
        xlsx._FAST.add(id(book))
    try:
        ws = xlsx._sheet(book, "S")
        for row in rows(ws):
            ws.append(row)
        book.save(tmp_path / f"{fast}.xlsx")
    finally:
        xlsx._SAME.clear()
        xlsx._FAST.discard(id(book))
    with zipfile.ZipFile(tmp_path / f"{fast}.xlsx") as z:
        return z.read("xl/worksheets/sheet1.xml")


def _slot_rows(ws):  # noqa: ANN001, ANN202
    """One slot cell (a school's code, a row number) given a new value row by row."""
    slot, number = xlsx._slot(ws), xlsx._slot(ws)
    for n, value in enumerate(["TH-A", " lề trái", "", "Trường B ", "   ", "C", None, "D"]):
        slot.value, number.value = value, n if n % 3 else n + 0.5
        yield [slot, number, xlsx._same(ws, "Hoàn thành đúng hạn")]


@pytest.mark.parametrize("rows", [
    lambda ws: [[xlsx._c(ws, i) for i in range(300)]],  # a plan with a very wide area
    lambda ws: [[xlsx._c(ws, " "), xlsx._same(ws, "\n"), xlsx._c(ws, " a "), xlsx._c(ws, "")]],
    lambda ws: [[xlsx._c(ws, date(2024, 3, 25), fmt=xlsx.DATE), xlsx._c(ws, 0.5, fmt="0%"),
                 xlsx._c(ws, True), xlsx._c(ws, None), None, xlsx._c(ws, "=1+1")]],
    _slot_rows,
], ids=["300 columns", "blank text", "dates, numbers, none, a formula", "a changing slot"])
def test_edge_cells_are_written_as_openpyxl_writes_them(tmp_path, rows) -> None:  # noqa: ANN001
    assert _sheet_xml(tmp_path, True, rows) == _sheet_xml(tmp_path, False, rows)
