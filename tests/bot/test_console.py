"""`nhacviec chat`: a whole conversation through the console transport, line by line."""

import io
from pathlib import Path

import pytest

from bot.cli import main
from bot.transports.console import parse_line


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'chat.db'}")
    assert main(["init"]) == 0


def chat(monkeypatch, capsys, who: str, lines: str, at: str = "2024-02-20 09:00") -> str:
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    assert main(["chat", "--as", who, "--at", at]) == 0
    return capsys.readouterr().out


def test_principal_and_staff_through_the_console(monkeypatch, capsys) -> None:
    out = chat(monkeypatch, capsys, "TH-CATBI",
               "xong 1.1, 1.2 dang lam 30%, 2.1 gap kho khan: thieu kinh phi\n")
    assert "1.1 — Hoàn thành (đúng hạn)" in out
    assert "[↩ Hoàn tác]" in out
    out = chat(monkeypatch, capsys, "PGD", "/baocao\n")
    assert "TH-CATBI Trường Tiểu học Cát Bi — 1/14" in out
    assert "Tính đến Thứ Ba, ngày 20/2/2024." in out


def test_by_phone_and_unknown_person(monkeypatch, capsys) -> None:
    out = chat(monkeypatch, capsys, "0900000104", "/nhiemvu\n")
    assert "TRƯỜNG MẦM NON CÁT BI" in out
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["chat", "--as", "XX-NOPE"]) == 1
    assert "không tìm thấy người liên hệ" in capsys.readouterr().err


def test_console_lines_carry_replies_and_files() -> None:
    line = parse_line(">12 xong rồi ạ [tệp: bienban.pdf]\x00")
    assert line == {"reply_to": "12", "text": "xong rồi ạ", "file": "bienban.pdf"}


def test_the_console_shows_the_choices_and_takes_the_typed_answer(monkeypatch, capsys) -> None:
    out = chat(monkeypatch, capsys, "TH-CATBI", "1.1 rồi ạ\n1\n")
    assert "Trả lời 1 — Đã hoàn thành 1.1; 2 — Chưa." in out
    assert "1.1 — Hoàn thành" in out
