"""`nhacviec demo` and `nhacviec remind`, as a user runs them."""

import io
from pathlib import Path

import pytest

from bot.cli import main
from bot.demo import run_demo


def test_demo_runs_the_plan_year(tmp_path: Path) -> None:
    out = io.StringIO()
    assert run_demo(tmp_path / "out", out=out) == 0
    text = out.getvalue()
    assert "MÔ PHỎNG NĂM KẾ HOẠCH 2024" in text
    assert "Kính gửi thầy/cô" in text and "Trân trọng." in text
    assert "↳ TH-CATBI trả lời:" in text and "Đã ghi nhận" in text  # replies and answers
    for day in ("25/3/2024", "24/6/2024", "25/9/2024", "23/12/2024"):  # the report dates
        assert f"ngày {day}: chuyên viên gõ /baocao" in text
    assert "chuyên viên gõ: /kiemtra" in text and "chuyên viên gõ: /nhacnho" in text
    assert "TỔNG HỢP HẰNG TUẦN" in text  # staff's weekly digest
    assert "═══ TỔNG KẾT NĂM 2024 ═══" in text
    assert "Trường đã được kiểm tra: 9/25 (36%" in text  # inspections recorded
    lines = text.rstrip("\n").split("\n")
    assert len(lines) <= 210  # the whole product, short enough to read
    assert "\n\n\n" not in text  # no runs of blank lines
    heads = [i for i, ln in enumerate(lines)
             if ln.strip() in ("Chỉ tiêu:", "Theo mục:", "Theo đơn vị:", "Tệp đã ghi:")]
    assert heads and all(lines[i + 1].strip().startswith(("•", "1.")) for i in heads)
    # no empty headings
    assert lines[-1].startswith("• ") and "Tệp đã ghi:" in text  # ends with the files
    assert (tmp_path / "out" / "trang-thai.csv").read_text(encoding="utf-8").startswith(
        "\ufeffunit_code,")  # a BOM: Excel on Windows reads the diacritics
    assert "Tệp đã ghi:" in text
    answers = [ln.split(" → ", 1)[1] for ln in lines if " → " in ln]
    assert answers and not [a for a in answers if a.endswith(("Trân…", "Th…"))]
    assert any(a.endswith("— Đang thực hiện 25%") for a in answers)  # many items, whole
    assert "   … và 1 trường khác" in text  # the shortened weekly digest says what it left
    assert " ;" not in text


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'r.db'}")
    assert main(["init"]) == 0


def test_remind_dry_run_prints_and_writes_nothing(database, monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("/giup\n"))
    main(["chat", "--as", "TH-CATBI"])
    capsys.readouterr()
    assert main(["remind", "--at", "2024-03-22 07:30", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Kính gửi thầy/cô Trần Thu Nga — Hiệu trưởng Trường Tiểu học Cát Bi" in out
    assert "(Thử: 1 tin sẽ được gửi; 24 tin không gửi được vì người nhận chưa liên kết; " \
        "chưa ghi gì.)" in out
    # the digests an unlinked principal would get are printed, marked not deliverable
    assert "── KHÔNG GỬI ĐƯỢC — hiệu trưởng chưa liên kết tài khoản ──\nKính gửi thầy/cô" in out
    assert "Không gửi được tới 24 trường: 24 chưa liên kết tài khoản (MN-CATBI," in out
    assert main(["remind", "--at", "2024-03-22 07:30"]) == 0
    assert "Đã xếp 1 tin" in capsys.readouterr().out
    assert main(["remind", "--at", "2024-03-22 07:30"]) == 0
    assert "Đã xếp 0 tin" in capsys.readouterr().out
