"""`nhacviec link`: a personal signed link to the web view, revocation and key rotation."""

from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import Settings
from handlers.web_links import person_of
from storage.db import make_engine, session_scope


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def still_valid(url: str) -> bool:
    settings = Settings()
    engine = make_engine(settings.database_url)
    with session_scope(engine) as session:
        config = settings.config()
        return person_of(session, config, url.rsplit("/", 1)[1], config.now()) is not None


def test_link_revoke_and_rotate(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["init"]) == 0
    assert main(["link", "TH-CATBI"]) == 1
    assert "WEB_URL" in capsys.readouterr().err
    monkeypatch.setenv("WEB_URL", "https://theodoi.example")
    capsys.readouterr()
    assert main(["link", "TH-CATBI", "--days", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Trần Thu Nga — hiệu lực đến")
    url = out.split()[-1]
    assert url.startswith("https://theodoi.example/l/p.") and still_valid(url)
    assert main(["link", "0900000112", "--revoke"]) == 0
    assert not still_valid(url)
    assert main(["link", "TH-CATBI"]) == 0
    fresh = capsys.readouterr().out.split()[-1]
    assert still_valid(fresh)
    assert main(["link", "--rotate"]) == 0
    assert not still_valid(fresh)
    assert main(["link", "KHONG-CO"]) == 1
