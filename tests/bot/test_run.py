"""`nhacviec run`: both channels, the scheduler and the sender in one process — and no
token ever in the logs."""

import asyncio
import logging
import socket
from pathlib import Path

import aiohttp
import pytest

from bot.cli import core_for, open_db
from bot.logs import Redact, setup_logging
from bot.run import secrets_of, serve
from bot.settings import Settings
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo


async def test_runs_both_channels_and_stops_cleanly(tmp_path: Path, capfd) -> None:
    tg, zl = await FakeTelegram().start(), await FakeZalo().start()
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'run.db'}",
                        telegram_bot_token=tg.token, telegram_api_url=tg.api_url,
                        zalo_bot_token=zl.token, zalo_api_url=zl.api_url, tick_seconds=1)
    engine = open_db(settings)
    stop = asyncio.Event()
    setup_logging(secrets_of(settings), level=logging.DEBUG)  # as `nhacviec run` does
    logging.getLogger("httpx").setLevel(logging.DEBUG)  # URLs carry the token: must be hidden
    task = asyncio.create_task(serve(settings, engine, core_for(settings, engine), stop))
    tg.message(1, "chào")
    zl.text("z1", "chào")
    assert "chưa được liên kết" in (await tg.wait_for("sendMessage"))[-1]["text"]
    assert "chưa được liên kết" in (await zl.wait_for(1))[-1]["text"]
    stop.set()
    await asyncio.wait_for(task, 15)
    await tg.stop()
    await zl.stop()
    logs = capfd.readouterr().err
    assert "channel telegram started" in logs and "HTTP Request" in logs
    assert tg.token not in logs and zl.token not in logs and "***" in logs
    logging.getLogger().handlers.clear()


async def test_serves_the_web_view_when_web_url_is_set(tmp_path: Path) -> None:
    tg = await FakeTelegram().start()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'web.db'}",
                        telegram_bot_token=tg.token, telegram_api_url=tg.api_url,
                        web_url=f"http://127.0.0.1:{port}", web_port=port)
    engine = open_db(settings)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, engine, core_for(settings, engine), stop))
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(100):
                try:
                    async with http.get(f"{settings.web_url}/healthz") as r:
                        assert await r.json() == {"ok": True}
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            else:
                raise AssertionError("the web view never answered")
            async with http.get(f"{settings.web_url}/tg") as r:
                assert r.status == 200 and "Bảng theo dõi" in await r.text()
            async with http.get(f"{settings.web_url}/bang") as r:
                assert r.status == 401
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
        await tg.stop()


async def test_without_tokens_it_says_what_to_set(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'x.db'}")
    engine = open_db(settings)
    with pytest.raises(SystemExit, match="TELEGRAM_BOT_TOKEN"):
        await serve(settings, engine, core_for(settings, engine))


def test_redaction_hides_secrets_in_messages_and_tracebacks() -> None:
    record = logging.LogRecord("x", logging.ERROR, "f", 1, "POST %s/getUpdates",
                               ("https://api.telegram.org/bot123456:SECRET",), None)
    try:
        raise RuntimeError("bad token 123456:SECRET")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    Redact(["123456:SECRET"]).filter(record)
    assert "SECRET" not in record.getMessage() and "SECRET" not in (record.exc_text or "")
