"""`nhacviec report`: the same reports as /baocao, without chat."""

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'rep.db'}")
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0


def test_text_and_filters(capsys) -> None:
    capsys.readouterr()
    assert main(["report", "--at", "2024-04-02 09:00"]) == 0
    out = capsys.readouterr().out
    assert "Toàn kế hoạch: đã hoàn thành 0/371" in out and "Chỉ tiêu:" in out
    assert main(["report", "TH", "Cát", "Bi", "--at", "2024-04-02 09:00"]) == 0
    assert "Trường Tiểu học Cát Bi (TH-CATBI)" in capsys.readouterr().out
    assert main(["report", "--period", "Q1", "--at", "2024-06-01 09:00"]) == 0
    assert "Tính đến Chủ Nhật, ngày 31/3/2024." in capsys.readouterr().out


def test_files(tmp_path: Path, capsys) -> None:
    assert main(["report", "--format", "xlsx", "-o", str(tmp_path / "a.xlsx")]) == 0
    assert "Tổng hợp" in load_workbook(tmp_path / "a.xlsx").sheetnames
    assert main(["report", "--period", "H1", "--format", "docx"]) == 0
    assert "Đã ghi bao-cao-" in capsys.readouterr().out
    assert list(tmp_path.glob("bao-cao-*.docx"))
    assert main(["report", "--format", "json", "--at", "2024-04-02 09:00"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overall"]["total"] == 371 and data["targets"]["due"] == 53


def test_unknown_period_is_refused(capsys) -> None:
    assert main(["report", "--period", "Q7"]) == 1
    assert "Không có kỳ báo cáo “Q7”" in capsys.readouterr().err
