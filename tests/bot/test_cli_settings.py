"""One configuration: what the settings say reaches every part that uses it."""

import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from bot.cli import main
from storage.db import make_engine, session_scope
from storage.models import Outbox

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    return url


def chat(monkeypatch: pytest.MonkeyPatch, who: str, at: str, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert main(["chat", "--as", who, "--at", at]) == 0


def test_snoozing_to_tomorrow_waits_for_the_configured_send_time(
        database: str, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("SEND_TIME", "08:15")
    main(["init"])
    chat(monkeypatch, "TH-CATBI", "2024-03-22 08:15", "")  # links the console chat
    assert main(["remind", "--at", "2024-03-22 08:15"]) == 0
    chat(monkeypatch, "TH-CATBI", "2024-03-22 10:00", "nhắc lại ngày mai")
    assert "08:15 ngày 25/3/2024" in capsys.readouterr().out  # Friday → Monday
    engine = make_engine(database)
    with session_scope(engine) as session:
        snoozed = session.exec(select(Outbox).where(col(Outbox.key).contains(":snooze:"))).one()
    engine.dispose()
    assert snoozed.send_after.astimezone(TZ) == datetime(2024, 3, 25, 8, 15, tzinfo=TZ)
