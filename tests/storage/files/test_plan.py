"""Reading plan files: every format, the appendix table as offices write it, bad rows."""

from datetime import date
from pathlib import Path

import pytest

from storage.files.errors import ImportFileError
from storage.files.plan import read_plan
from storage.models import DueKind
from tests.storage.files.planfiles import ROWS, write_csv, write_docx, write_xlsx

WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "docx": write_docx}


@pytest.mark.parametrize("fmt", WRITERS)
def test_reads_the_appendix_table(tmp_path: Path, fmt: str) -> None:
    spec = read_plan(WRITERS[fmt](tmp_path / f"plan.{fmt}"))
    assert spec.year == 2025
    assert [a.number for a in spec.areas] == [1, 2]
    assert spec.areas[0].title == "Công tác chỉ đạo, điều hành"
    first = spec.tasks[0]
    assert first.code == "1.1"
    assert first.content == "Xây dựng kế hoạch cải cách hành chính năm 2025"  # line break joined
    assert first.units_text == "Phòng GD&ĐT, các trường MN, TH, THCS"
    assert first.due.end == date(2025, 2, 28)
    assert spec.tasks[1].due.end == date(2025, 6, 30)
    assert spec.tasks[2].due.kind == DueKind.ONGOING
    assert spec.tasks[2].units_text == "Các trường MN"
    assert spec.tasks[2].notes == "ghi chú thử"
    assert [p.code for p in spec.reports] == ["Q1", "H1", "Q3", "Y"]


def test_word_header_gives_number_date_and_title(tmp_path: Path) -> None:
    spec = read_plan(write_docx(tmp_path / "plan.docx"))
    assert spec.number == "12/KH-PGDĐT"
    assert spec.issued_on == date(2025, 1, 15)
    assert spec.title == "Kế hoạch Cải cách hành chính năm 2025"


@pytest.mark.parametrize("fmt", WRITERS)
def test_bad_deadline_names_file_row_and_column(tmp_path: Path, fmt: str) -> None:
    rows = [r[:] for r in ROWS]
    rows[2][4] = "sớm nhất có thể"
    with pytest.raises(ImportFileError) as err:
        read_plan(WRITERS[fmt](tmp_path / f"bad.{fmt}", rows))
    assert err.value.file == f"bad.{fmt}"
    assert err.value.column == "Thời gian hoàn thành"
    assert "sớm nhất có thể" in str(err.value)
    assert err.value.row is not None


def test_duplicate_code_is_refused(tmp_path: Path) -> None:
    rows = [r[:] for r in ROWS]
    rows[2][0] = "1.1"
    with pytest.raises(ImportFileError, match="trùng"):
        read_plan(write_csv(tmp_path / "dup.csv", rows))


def test_truncated_xlsx_and_docx_fail_cleanly(tmp_path: Path) -> None:
    for fmt in ("xlsx", "docx"):
        good = WRITERS[fmt](tmp_path / f"good.{fmt}")
        broken = tmp_path / f"broken.{fmt}"
        broken.write_bytes(good.read_bytes()[:300])
        with pytest.raises(ImportFileError, match="không mở được"):
            read_plan(broken)


def test_table_without_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nohead.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="không tìm thấy dòng tiêu đề") as err:
        read_plan(path)
    assert "“a”, “b”, “c”" in str(err.value)  # the headers it saw


def test_unsupported_format(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(ImportFileError, match="không hỗ trợ"):
        read_plan(path)


def test_broken_yaml(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("plan: [\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="YAML"):
        read_plan(path)
