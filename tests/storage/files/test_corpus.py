"""The public corpus: plans shaped like those a ministry, a Sở, a ward's office and a
school hand over (.docx and .xlsx), each read to the tasks, due dates and units it means.
The files are built by make_corpus.py next to them; the expectations here are written by
hand from the documents, not from the reader."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from storage.db import session_scope
from storage.files.errors import ImportFileError
from storage.files.plan import default_plan, read_plan
from storage.files.roster import DEFAULT_UNITS, read_units
from storage.imports import UnresolvedError, save_units
from storage.models import Assignment, DueKind, Partner, Task, Unit
from storage.planimport import import_plan, interpret

CORPUS = Path(__file__).parent / "corpus"


def _roster(engine: Engine, name: str) -> None:
    path = DEFAULT_UNITS if name == "haian" else CORPUS / f"roster-{name}.csv"
    with session_scope(engine) as session:
        save_units(session, read_units(path))


def _tasks(session: Session, file: str, map_file: str | None = None) -> dict[str, dict]:
    found = interpret(session, CORPUS / file,
                      map_file=CORPUS / map_file if map_file else None).as_json()
    assert found["unresolved"] == []
    return {t["code"]: t for t in found["tasks"]}


def _due(t: dict) -> tuple[str | None, bool, list[str], list[str]]:
    return t["due_on"], t["ongoing"], t["lead"], t["partners"]


def test_corpus_has_at_least_eight_plans_in_word_and_excel() -> None:
    files = sorted(p.suffix for p in CORPUS.glob("*") if p.suffix in (".docx", ".xlsx"))
    assert len(files) >= 8 and {".docx", ".xlsx"} <= set(files)


# --- a ministry ----------------------------------------------------------------------------

def test_ministry_tables_under_headings_with_day_ranges(engine: Engine) -> None:
    _roster(engine, "bo")
    with session_scope(engine) as session:
        found = interpret(session, CORPUS / "bo-2019-ky-thi.docx")
        spec = found.spec
        assert (spec.issuer, spec.number, spec.year) == ("Bộ Giáo dục và Đào tạo",
                                                         "1135/KH-BGDĐT", 2019)
        assert [a.title for a in spec.areas] == ["CÔNG TÁC CHUẨN BỊ", "TỔ CHỨC THI",
                                                 "CÔNG TÁC THÔNG TIN, TRUYỀN THÔNG"]
        # "Bộ Quốc phòng" is not the office (no syllable "phòng" match): it is unresolved.
        assert {(u.where, u.phrase) for u in found.resolution.unresolved} == {
            ("bảng 1, dòng 3", "Các Sở GD&ĐT"), ("bảng 1, dòng 4", "Bộ Quốc phòng"),
            ("bảng 2, dòng 3", "Bộ Công an"), ("bảng 2, dòng 3", "Bộ Quốc phòng")}
        tasks = _tasks(session, "bo-2019-ky-thi.docx", "map-bo.yaml")
    assert list(tasks) == ["1.1", "1.2", "1.3", "2.1", "2.2", "3.1"]  # numbering restarts
    assert _due(tasks["1.1"]) == ("2019-04-12", False, ["CUC-CNTT"], ["CUC-QLCL"])
    assert _due(tasks["1.2"]) == ("2019-05-19", False, ["CUC-QLCL"], [])
    assert _due(tasks["1.3"]) == ("2019-05-01", False, ["CUC-QLCL"], ["VU-GDTRH"])
    assert _due(tasks["2.1"]) == ("2019-06-30", False, ["TT-BO"], ["VP-BO"])
    assert _due(tasks["2.2"]) == ("2019-06-30", False, ["VP-BO"], [])
    assert _due(tasks["3.1"]) == ("2019-12-31", True, ["VP-BO"], ["CUC-CNTT"])


# --- a Sở ------------------------------------------------------------------------------------

def test_province_excel_roman_areas_items_merged_cells_and_notes(engine: Engine) -> None:
    _roster(engine, "so")
    with session_scope(engine) as session:
        found = interpret(session, CORPUS / "so-2025-chuyen-doi-so.xlsx")
        tasks = _tasks(session, "so-2025-chuyen-doi-so.xlsx")
    spec = found.spec
    assert (spec.number, spec.year, spec.issuer, spec.superior) == (
        "215/KH-SGDĐT", 2025, "Sở Giáo dục và Đào tạo", "UBND tỉnh Lào Cai")
    assert [a.number for a in spec.areas] == [1, 2]
    assert list(tasks) == ["1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2"]
    assert _due(tasks["1.1"]) == ("2025-06-30", False, ["P-KHTC"], ["VP-SO"])
    assert _due(tasks["1.2"]) == ("2025-01-31", False, ["@THPT"], ["P-GDTRH"])
    # merged down from the row above; a bare year is due at its end
    assert _due(tasks["1.3"]) == ("2026-12-31", False, ["@THPT"], ["P-GDTRH"])
    assert tasks["1.4"]["content"] == "Tổ chức hội thảo chuyển đổi số: Cấp tỉnh"
    assert _due(tasks["1.4"]) == (None, True, ["VP-SO"], [])  # "Theo kế hoạch của Bộ"
    assert _due(tasks["1.5"]) == ("2025-10-31", False, ["THPT-LHP"], ["P-GDTRH"])
    assert _due(tasks["2.1"]) == ("2025-09-30", False, ["P-GDTRH"], ["@THPT"])
    assert _due(tasks["2.2"]) == ("2025-12-31", True, ["THPT-SO1"], ["THPT-BACHA"])
    assert [w.row for w in spec.warnings] == [20]  # the note row, skipped and said so


def test_province_word_titles_alone_unnumbered_rows_and_empty_deadline(engine: Engine
                                                                         ) -> None:
    _roster(engine, "so")
    with session_scope(engine) as session:
        found = interpret(session, CORPUS / "so-2025-the-thao.docx")
        tasks = _tasks(session, "so-2025-the-thao.docx")
    spec = found.spec
    assert (spec.place, spec.issued_on, spec.signer_title, spec.signer_name) == (
        "Lào Cai", date(2025, 2, 20), "Giám đốc", "Hoàng Văn Bình")
    assert [a.title for a in spec.areas] == ["Hoạt động chung", "Kiểm tra, đánh giá"]
    assert _due(tasks["1.1"]) == ("2025-03-31", False, ["@office"], ["P-GDTRH"])  # "Sở GD&ĐT"
    assert _due(tasks["1.2"]) == ("2025-05-30", False, ["P-GDTRH"], ["@THPT"])
    assert _due(tasks["1.3"]) == ("2025-12-31", True, ["@THPT"], [])
    assert _due(tasks["2.1"]) == ("2025-12-31", True, ["VP-SO"], ["P-KHTC"])
    assert _due(tasks["2.2"]) == (None, True, ["P-GDTRH"], [])
    assert [(w.row, "chưa ghi thời hạn" in w.message) for w in spec.warnings] == [(7, True)]


# --- a ward's office ----------------------------------------------------------------------

def test_ward_named_schools_and_the_traps(engine: Engine) -> None:
    _roster(engine, "phuong")
    with session_scope(engine) as session:
        found = interpret(session, CORPUS / "phuong-2025-phong-dich.xlsx")
        assert [(u.row, u.phrase) for u in found.resolution.unresolved] == [
            (8, "Trạm Y tế phường"), (12, "Các trường được giao nhiệm vụ"),
            (12, "UBND phường")]  # never "every school"
        with pytest.raises(UnresolvedError) as err:
            import_plan(session, CORPUS / "phuong-2025-phong-dich.xlsx")
        assert "dòng 12 “Các trường được giao nhiệm vụ”" in str(err.value)
    with session_scope(engine) as session:
        assert session.exec(select(Task)).first() is None  # all or nothing
        tasks = _tasks(session, "phuong-2025-phong-dich.xlsx", "map-phuong.yaml")
    assert _due(tasks["1.1"]) == ("2025-03-31", False, ["@MN", "@TH", "@THCS"], [])
    assert _due(tasks["1.2"]) == ("2025-04-15", False, ["MN-HOASEN"], ["@office"])
    assert _due(tasks["2.1"]) == ("2025-12-31", True, ["@office"], ["PT-BANMAY"])
    assert _due(tasks["2.2"]) == (None, True, ["TH-SAPA", "THCS-SAPA"], [])


def test_ward_import_assigns_leads_records_partners_and_keeps_the_map(engine: Engine) -> None:
    _roster(engine, "phuong")
    with session_scope(engine) as session:
        import_plan(session, CORPUS / "phuong-2025-phong-dich.xlsx",
                    map_file=CORPUS / "map-phuong.yaml")
    with session_scope(engine) as session:
        code = {u.id: u.code for u in session.exec(select(Unit))}
        task = {t.id: t.code for t in session.exec(select(Task))}
        leads = {(task[a.task_id], code[a.unit_id]) for a in session.exec(select(Assignment))}
        partners = {(task[p.task_id], code[p.unit_id]) for p in session.exec(select(Partner))}
        # a named kindergarten is that one kindergarten; a PT school is TH and THCS
        assert {u for t, u in leads if t == "1.2"} == {"MN-HOASEN"}
        assert {u for t, u in leads if t == "1.1"} == {"MN-HOASEN", "MN-SAPA", "TH-SAPA",
                                                       "THCS-SAPA", "PT-BANMAY"}
        assert partners == {("1.2", "VHXH"), ("2.1", "PT-BANMAY")}
        # the next import needs no --map: the phrases were kept
        import_plan(session, CORPUS / "phuong-2025-phong-dich.xlsx")


def test_a_map_naming_an_unknown_unit_is_refused(engine: Engine, tmp_path: Path) -> None:
    _roster(engine, "phuong")
    bad = tmp_path / "map.yaml"
    bad.write_text("Các trường được giao nhiệm vụ: [TH-KHONGCO]\n", encoding="utf-8")
    with session_scope(engine) as session, pytest.raises(ImportFileError, match="TH-KHONGCO"):
        interpret(session, CORPUS / "phuong-2025-phong-dich.xlsx", map_file=bad)


# --- a school -------------------------------------------------------------------------------

def test_school_year_plan_with_months_merged_down_and_its_teams(engine: Engine) -> None:
    _roster(engine, "truong")
    with session_scope(engine) as session:
        found = interpret(session, CORPUS / "truong-2024-2025-chuyen-mon.docx")
        tasks = _tasks(session, "truong-2024-2025-chuyen-mon.docx")
    assert (found.spec.year, found.spec.school_year, found.spec.issuer) == (
        2024, True, "Trường Tiểu học Kim Đồng")
    team = ["@Tổ chuyên môn"]
    assert [_due(t) for t in tasks.values()] == [
        ("2024-09-30", False, team, []),
        ("2024-09-30", False, ["KD"], []),  # "Tháng 9" merged down; "Ban giám hiệu" alias
        ("2024-10-31", False, ["TO-K45"], []),
        ("2024-12-31", False, team, []),
        ("2025-01-31", False, ["KD"], []),  # January after September: the next year
        ("2025-04-30", False, ["TO-K1", "TO-K23"], []),
        ("2025-05-31", False, ["KD"], []),
        ("2025-05-31", True, team, []),
    ]


# --- the 2024 sample typed in Word and in Excel ----------------------------------------------

@pytest.mark.parametrize("name", ["ke-hoach-2024-word.docx", "ke-hoach-2024-excel.xlsx"])
def test_the_2024_sample_typed_by_hand_is_the_embedded_plan_word_for_word(name: str) -> None:
    typed, embedded = read_plan(CORPUS / name), default_plan()
    assert [(a.number, a.title) for a in typed.areas] == \
        [(a.number, a.title) for a in embedded.areas]

    def words(spec):  # noqa: ANN001, ANN202
        return [(t.code, t.content, t.units_text, t.product, t.deadline_text, t.notes, t.due)
                for t in spec.tasks]

    assert len(typed.tasks) == 21 and words(typed) == words(embedded)


def test_the_2024_sample_in_word_carries_its_issuer_profile() -> None:
    spec = read_plan(CORPUS / "ke-hoach-2024-word.docx")
    assert (spec.issuer, spec.superior, spec.number, spec.place, spec.issued_on) == (
        "Phòng Giáo dục và Đào tạo", "UBND quận Hải An", "06/KH-PGDĐT", "Hải An",
        date(2024, 2, 7))
    assert (spec.signer_title, spec.signer_name) == ("Trưởng phòng", "Nguyễn Thị Minh Thu")
    assert spec.title == default_plan().title


def test_the_2024_sample_in_word_imports_with_the_same_assignments(engine: Engine) -> None:
    _roster(engine, "haian")
    with session_scope(engine) as session:
        _, summary = import_plan(session, CORPUS / "ke-hoach-2024-word.docx")
        assert summary.tasks_added == 21 and summary.assignments_added == 371


# --- refused files ------------------------------------------------------------------------

def test_a_printed_typo_is_refused_naming_its_row() -> None:
    with pytest.raises(ImportFileError) as err:
        read_plan(CORPUS / "loi-nam-in-2025.xlsx")
    assert (err.value.row, err.value.column) == (6, "Thời gian hoàn thành")
    assert "1019" in err.value.message


def test_a_missing_column_is_named_with_the_headers_seen() -> None:
    with pytest.raises(ImportFileError) as err:
        read_plan(CORPUS / "thieu-cot-noi-dung-2025.docx")
    assert "thiếu cột “Nội dung”" in str(err.value)
    assert "“TT”, “Đơn vị thực hiện”, “Thời gian thực hiện”, “Ghi chú”" in str(err.value)


# --- preview as JSON -----------------------------------------------------------------------

READABLE = {"bo-2019-ky-thi.docx": "bo", "so-2025-chuyen-doi-so.xlsx": "so",
            "so-2025-the-thao.docx": "so", "phuong-2025-phong-dich.xlsx": "phuong",
            "truong-2024-2025-chuyen-mon.docx": "truong",
            "ke-hoach-2024-word.docx": "haian", "ke-hoach-2024-excel.xlsx": "haian"}


@pytest.mark.parametrize("name", sorted(READABLE))
def test_preview_json_has_the_documented_shape(engine: Engine, name: str) -> None:
    _roster(engine, READABLE[name])
    with session_scope(engine) as session:
        data = json.loads(json.dumps(interpret(session, CORPUS / name).as_json()))
        assert session.exec(select(Task)).first() is None  # a preview writes nothing
    assert set(data) == {"title", "number", "year", "tasks", "unresolved", "warnings"}
    for t in data["tasks"]:
        assert set(t) == {"code", "area", "content", "deadline_text", "due_on", "ongoing",
                          "lead", "partners"}
        assert t["due_on"] is None or date.fromisoformat(t["due_on"])
    for u in data["unresolved"]:
        assert set(u) == {"row", "phrase"}
    assert all(set(w) == {"row", "message"} for w in data["warnings"])


def test_on_request_tasks_are_never_reminded(engine: Engine) -> None:
    _roster(engine, "so")
    with session_scope(engine) as session:
        import_plan(session, CORPUS / "so-2025-the-thao.docx")
        kinds = {t.code: t.due_kind for t in session.exec(select(Task))}
    assert kinds["2.2"] == DueKind.ON_REQUEST
