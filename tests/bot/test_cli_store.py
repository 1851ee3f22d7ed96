"""The admin's command line for the plan store: init, plan, imports, export, contacts."""

import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.storage.files.planfiles import ROWS, write_xlsx


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_then_export_shows_21_tasks_for_the_right_units(capsys) -> None:
    code, out, _ = run(capsys, "init")
    assert code == 0 and "21 nhiệm vụ" in out and "26 đơn vị" in out
    _, out, _ = run(capsys, "export", "--format", "json")
    rows = json.loads(out)
    assert len({r["task_code"] for r in rows}) == 21
    assert {r["unit_code"] for r in rows if r["task_code"] == "1.3"} == {"PGD"}
    assert len({r["unit_code"] for r in rows if r["task_code"] == "1.1"}) == 26
    assert set(rows[0]) >= {"unit_code", "unit_name", "unit_kind", "task_code", "due_on",
                            "state", "percent", "verdict", "updated_at", "updated_by"}
    _, out, _ = run(capsys, "export")
    assert out.splitlines()[0].startswith("unit_code,unit_name,unit_kind,task_code,due_on,state")


def test_init_twice_keeps_the_data(capsys) -> None:
    run(capsys, "init")
    code, out, _ = run(capsys, "init")
    assert code == 0 and "giữ nguyên" in out


def test_plan_shows_tasks_and_report_calendar(capsys) -> None:
    run(capsys, "init")
    _, out, _ = run(capsys, "plan")
    assert "1.1  Xây dựng kế hoạch cải cách hành chính năm 2024" in out
    assert "Thứ Năm, ngày 29/2/2024" in out
    assert "Báo cáo 6 tháng đầu năm 2024: Thứ Hai, ngày 24/6/2024" in out


def test_import_plan_error_is_vietnamese_and_changes_nothing(capsys, tmp_path: Path) -> None:
    run(capsys, "init")
    rows = [r[:] for r in ROWS]
    rows[1][4] = "không rõ"
    bad = write_xlsx(tmp_path / "kehoach.xlsx", rows)
    code, _, err = run(capsys, "import-plan", str(bad))
    assert code == 1
    assert "Tệp kehoach.xlsx, dòng" in err and "Thời gian hoàn thành" in err
    assert "Chưa ghi gì" in err
    _, out, _ = run(capsys, "plan")
    assert "NĂM 2024" in out


def test_import_plan_xlsx(capsys, tmp_path: Path) -> None:
    run(capsys, "init")
    code, out, _ = run(capsys, "import-plan", str(write_xlsx(tmp_path / "kh.xlsx")),
                       "--number", "03/KH-PGDĐT")
    assert code == 0 and "thêm 3" in out
    _, out, _ = run(capsys, "plan")
    assert "Số 03/KH-PGDĐT" in out


def test_contacts_json(capsys) -> None:
    run(capsys, "init")
    _, out, _ = run(capsys, "contacts", "--format", "json")
    rows = json.loads(out)
    assert {r["role"] for r in rows} == {"principal", "staff", "admin"}
    assert all(r["phone"].startswith("0900") for r in rows)


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    from tests.storage.files.planfiles import write_csv, write_docx

    rows = [r[:] for r in ROWS]
    rows[1][4] = "31/2/2025"
    dup = [r[:] for r in ROWS]
    dup[2][0] = "1.1"
    good_xlsx = write_xlsx(tmp_path / "ok.xlsx")
    truncated_xlsx = tmp_path / "cut.xlsx"
    truncated_xlsx.write_bytes(good_xlsx.read_bytes()[:500])
    good_docx = write_docx(tmp_path / "ok.docx")
    truncated_docx = tmp_path / "cut.docx"
    truncated_docx.write_bytes(good_docx.read_bytes()[:900])
    columns = tmp_path / "columns.csv"
    columns.write_text("Mã,Việc,Hạn\n1.1,Làm kế hoạch,Tháng 1\n", encoding="utf-8")
    units = tmp_path / "units.csv"
    units.write_text("unit_code,unit_name,unit_kind,ward,contact_name,role,phone\n"
                     "TH-X,Trường X,TH,,A,principal,0900111222\n"
                     "TH-Y,Trường Y,TH,,B,principal,0900111222\n", encoding="utf-8")
    return {
        "bad date": (write_csv(tmp_path / "date.csv", rows), "dòng 3"),
        "duplicate code": (write_csv(tmp_path / "dup.csv", dup), "trùng"),
        "wrong columns": (columns, "dòng tiêu đề"),
        "truncated xlsx": (truncated_xlsx, "không mở được"),
        "truncated docx": (truncated_docx, "không mở được"),
        "duplicate phone": (units, "dòng 3"),
    }


@pytest.mark.parametrize("case", ["bad date", "duplicate code", "wrong columns",
                                  "truncated xlsx", "truncated docx", "duplicate phone"])
def test_malformed_imports_fail_cleanly(capsys, tmp_path: Path, case: str) -> None:
    run(capsys, "init")
    _, before, _ = run(capsys, "export", "--format", "json")
    path, words = _bad_files(tmp_path)[case]
    command = "import-units" if case == "duplicate phone" else "import-plan"
    code, out, err = run(capsys, command, str(path))
    assert code == 1 and words in err and "Chưa ghi gì" in err and path.name in err
    _, after, _ = run(capsys, "export", "--format", "json")
    assert after == before


CORPUS = Path(__file__).parents[1] / "storage" / "files" / "corpus"


def test_import_plan_preview_writes_nothing_and_speaks_json(capsys) -> None:
    run(capsys, "init")
    _, before, _ = run(capsys, "export", "--format", "json")
    code, out, _ = run(capsys, "import-plan", str(CORPUS / "ke-hoach-2024-word.docx"),
                       "--preview", "--format", "json")
    assert code == 0
    preview = json.loads(out)
    assert (preview["number"], preview["year"], len(preview["tasks"])) == ("06/KH-PGDĐT", 2024,
                                                                           21)
    assert preview["tasks"][0]["lead"] == ["@office", "@MN", "@TH", "@THCS"]
    assert run(capsys, "export", "--format", "json")[1] == before


def test_import_plan_with_a_map_then_without(capsys) -> None:
    run(capsys, "init", "--empty")
    run(capsys, "import-units", str(CORPUS / "roster-phuong.csv"))
    plan = str(CORPUS / "phuong-2025-phong-dich.xlsx")
    code, out, _ = run(capsys, "import-plan", plan, "--preview")
    assert code == 0 and "Chưa rõ đơn vị: dòng 12 “Các trường được giao nhiệm vụ”" in out
    code, _, err = run(capsys, "import-plan", plan)
    assert code == 1 and "Chưa ghi gì" in err and "UBND phường" in err
    code, out, _ = run(capsys, "import-plan", plan, "--map", str(CORPUS / "map-phuong.yaml"))
    assert code == 0 and "thêm 4" in out
    assert run(capsys, "import-plan", plan)[0] == 0  # the map was kept
