"""The admin's command line for the plan store: init, plan, imports, export, contacts."""

import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.storage.planfiles import ROWS, write_xlsx


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
