"""`nhacviec run`: both channels, the inbox, the scheduler and the sender in one process,
one web server on one port for both webhooks — and no token ever in any output."""

import asyncio
import io
import logging
import os
import signal
import socket
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.cli import core_for, main, open_db
from bot.logs import RedactingStream, setup_logging
from bot.run import CannotStart, serve
from bot.settings import Settings
from bot.transports.base import connect_with_backoff
from bot.transports.telegram import TelegramTransport
from handlers.core import Core
from storage.db import session_scope
from storage.inbox import rows
from storage.models import Assignment, InboxState, State, Task, Unit
from tests.bot.test_telegram import code_for
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cret-s3cret-s3cret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_runs_both_channels_by_polling_and_stops_cleanly(tmp_path: Path, capfd) -> None:
    tg, zl = await FakeTelegram().start(), await FakeZalo().start()
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'run.db'}",
                        telegram_bot_token=tg.token, telegram_api_url=tg.api_url,
                        zalo_bot_token=zl.token, zalo_api_url=zl.api_url, tick_seconds=1,
                        web_host="127.0.0.1", web_port=0)
    engine = open_db(settings)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, engine, core_for(settings, engine), stop))
    tg.message(1, "chào")
    zl.text("z1", "chào")
    assert "chưa được liên kết" in (await tg.wait_for("sendMessage"))[-1]["text"]
    assert "chưa được liên kết" in (await zl.wait_for(1))[-1]["text"]
    stop.set()
    await asyncio.wait_for(task, 15)
    await tg.stop()
    await zl.stop()
    with session_scope(engine) as session:
        assert [r.state for r in rows(session)] == [InboxState.ANSWERED] * 2


async def test_webhooks_of_both_channels_on_one_port(tmp_path: Path) -> None:
    tg, zl = await FakeTelegram().start(), await FakeZalo().start()
    port = free_port()
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'hook.db'}",
                        telegram_bot_token=tg.token, telegram_api_url=tg.api_url,
                        zalo_bot_token=zl.token, zalo_api_url=zl.api_url,
                        webhook_url=f"http://127.0.0.1:{port}/", webhook_secret=SECRET,
                        web_host="127.0.0.1", web_port=port)
    engine = open_db(settings)
    from storage.files.plan import default_plan
    from storage.files.roster import DEFAULT_UNITS, read_units
    from storage.imports import save_plan, save_units

    with session_scope(engine) as session:
        save_units(session, read_units(DEFAULT_UNITS))
        save_plan(session, default_plan())
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, engine, core_for(settings, engine), stop))
    base = f"http://127.0.0.1:{port}"
    try:
        await tg.wait_for("setWebhook")
        (hook,) = tg.sent("setWebhook")
        assert hook["url"] == f"{base}/telegram" and hook["secret_token"] == SECRET
        for _ in range(500):
            if zl.sent("setWebhook"):
                break
            await asyncio.sleep(0.01)
        assert zl.sent("setWebhook") == [{"url": f"{base}/zalo", "secret_token": SECRET}]
        code = code_for(engine, "TH-CATBI")
        tg_update = {"update_id": 1, "message": {
            "message_id": 5, "date": int(time.time()), "text": f"/start {code}",
            "chat": {"id": 5001, "type": "private"},
            "from": {"id": 5001, "is_bot": False, "first_name": "Hà"}}}
        zl_update = {"event_name": "message.text.received", "message": {
            "from": {"id": "w1", "display_name": "Bình"}, "chat": {"id": "w1",
                                                                    "chat_type": "PRIVATE"},
            "text": "chào", "message_id": "zm1", "date": 1750316131602}}
        async with aiohttp.ClientSession() as http:
            assert (await http.get(f"{base}/healthz")).status == 200
            # no secret, a wrong one: refused, nothing stored
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                assert (await http.post(f"{base}/telegram", json=tg_update,
                                        headers=headers)).status == 403
            assert (await http.post(f"{base}/zalo", json=zl_update)).status == 403
            with session_scope(engine) as session:
                assert rows(session) == []
            ok = await http.post(f"{base}/telegram", json=tg_update,
                                 headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
            assert ok.status == 200
            again = await http.post(f"{base}/telegram", json=tg_update,  # delivered twice
                                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
            assert again.status == 200
            ok = await http.post(f"{base}/zalo", json={"ok": True, "result": zl_update},
                                 headers={"X-Bot-Api-Secret-Token": SECRET})
            assert ok.status == 200
            assert "Kính chào" in (await tg.wait_for("sendMessage"))[-1]["text"]
            assert "chưa được liên kết" in (await zl.wait_for(1))[-1]["text"]
            # a body over the cap, with the right secret: refused unread
            big = await http.post(f"{base}/telegram", data=b"x" * (2 * 2**20),
                                  headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
            assert big.status == 413
        await asyncio.sleep(0.3)
        assert len(tg.sent("sendMessage")) == 1  # the update delivered twice: answered once
        with session_scope(engine) as session:
            assert len(rows(session)) == 2
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
        await tg.stop()
        await zl.stop()


async def test_a_wrong_secret_is_refused_before_a_big_body_is_read(tmp_path: Path) -> None:
    port = free_port()
    tg = await FakeTelegram().start()
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'big.db'}",
                        telegram_bot_token=tg.token, telegram_api_url=tg.api_url,
                        webhook_url=f"http://127.0.0.1:{port}", webhook_secret=SECRET,
                        web_host="127.0.0.1", web_port=port)
    engine = open_db(settings)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, engine, core_for(settings, engine), stop))
    await tg.wait_for("setWebhook")
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST /telegram HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"X-Telegram-Bot-Api-Secret-Token: wrong\r\n"
                     b"Content-Length: 62914560\r\n\r\n" + b"{" * 65536)
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), 5)  # 60 MiB never sent
        assert b" 403 " in status
        writer.close()
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
        await tg.stop()


def test_webhook_mode_without_a_secret_refuses_to_start(monkeypatch, capsys,
                                                        tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:SECRET-token-value")
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.vn")
    monkeypatch.delenv("WEBHOOK_SECRET", raising=False)
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "WEBHOOK_SECRET" in err and "giả mạo" in err and "Traceback" not in err


def test_wrong_settings_are_named_in_vietnamese(monkeypatch, capsys) -> None:
    monkeypatch.setenv("INVITE_DAYS", "-5")
    monkeypatch.setenv("SEND_TIME", "25:00")
    assert main(["invite", "TH-CATBI"]) == 2
    err = capsys.readouterr().err
    assert "INVITE_DAYS: phải là số nguyên từ 1 trở lên (đang là -5)" in err
    assert "SEND_TIME: giờ gửi “25:00” không hợp lệ" in err


async def test_webhooks_the_web_view_and_healthz_share_one_port(tmp_path: Path) -> None:
    tg = await FakeTelegram().start()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'web.db'}",
                        telegram_bot_token=tg.token, telegram_api_url=tg.api_url,
                        webhook_url=base, webhook_secret=SECRET,
                        web_host="127.0.0.1", web_port=port)
    assert settings.web_url == base  # one server, one public address
    engine = open_db(settings)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, engine, core_for(settings, engine), stop))
    try:
        await tg.wait_for("setWebhook")
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/healthz") as r:
                assert await r.json() == {"ok": True}
            async with http.get(f"{base}/tg") as r:
                assert r.status == 200 and "Bảng theo dõi" in await r.text()
            async with http.get(f"{base}/bang") as r:
                assert r.status == 401
            async with http.post(f"{base}/telegram", json={"update_id": 1}) as r:
                assert r.status == 403  # the webhook, on the same port, wants its secret
            async with http.post(f"{base}/telegram", json={"update_id": 2},
                                 headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as r:
                assert r.status == 200
            # the web view's form route is capped like every other body but the upload
            async with http.post(f"{base}/truong/TH-CATBI/cap-nhat",
                                 data=b"x" * (2 * 2**20),
                                 headers={"Content-Type": "application/x-www-form-urlencoded"}
                                 ) as r:
                assert r.status in (401, 413)
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
        await tg.stop()


async def test_without_tokens_it_says_what_to_set(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'x.db'}")
    engine = open_db(settings)
    with pytest.raises(CannotStart, match="TELEGRAM_BOT_TOKEN"):
        await serve(settings, engine, core_for(settings, engine))


async def test_start_up_waits_for_an_unreachable_api(loaded: Engine) -> None:
    port = free_port()
    transport = TelegramTransport("123456:TEST-token", api_url=f"http://127.0.0.1:{port}/bot")
    starting = asyncio.create_task(connect_with_backoff(
        transport._connect, "Telegram", transient=(Exception,), first=0.2))
    await asyncio.sleep(0.5)
    assert not starting.done()  # nobody listening yet: retrying, not crashing
    fake = FakeTelegram()  # the API comes up late
    app = aiohttp.web.Application()
    app.router.add_route("*", "/bot{token}/{method}", fake._handle)
    runner = aiohttp.web.AppRunner(app)
    await runner.setup()
    await aiohttp.web.TCPSite(runner, "127.0.0.1", port).start()
    await asyncio.wait_for(starting, 10)
    assert fake.sent("getMe")
    await transport.stop()
    await runner.cleanup()


async def run_cli(env: dict[str, str], seconds: float) -> tuple[int, str]:
    """`nhacviec run` as a real process for *seconds*, then SIGTERM; (exit code, output)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env={**os.environ, **env,
                                                           "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    try:
        code = await asyncio.wait_for(proc.wait(), seconds)
    except TimeoutError:
        proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(proc.wait(), 15)
    assert proc.stdout is not None
    return code, (await proc.stdout.read()).decode()


async def test_a_rejected_token_is_said_without_the_token(tmp_path: Path) -> None:
    fake = await FakeTelegram().start()
    token = "654321:REJECTED-token-value"
    code, out = await run_cli({"DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}",
                               "TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": fake.api_url,
                               "WEB_PORT": "0"}, 20)
    await fake.stop()
    assert code == 1 and "Telegram từ chối TELEGRAM_BOT_TOKEN" in out
    assert token not in out and "REJECTED" not in out and "Traceback" not in out


async def test_nothing_secret_in_the_logs_of_a_running_service(tmp_path: Path) -> None:
    fake = await FakeTelegram().start()
    code, out = await run_cli({"DATABASE_URL": f"sqlite:///{tmp_path / 'l.db'}",
                               "TELEGRAM_BOT_TOKEN": fake.token,
                               "TELEGRAM_API_URL": fake.api_url, "WEB_PORT": "0",
                               "NHACVIEC_DEBUG": "1"}, 8)
    await fake.stop()
    assert "channel telegram started" in out
    assert fake.token not in out and "TEST-token" not in out


def test_every_secret_setting_is_redacted_and_one_address_serves_both() -> None:
    settings = Settings(_env_file=None, telegram_bot_token="123456:TOKEN",
                        webhook_url="https://theodoi.example.vn", webhook_secret=SECRET,
                        web_secret="web-secret-value",
                        database_url="postgresql+psycopg://u:pw-value@db/x")
    assert set(settings.secrets()) == {"123456:TOKEN", SECRET, "web-secret-value", "pw-value"}
    assert settings.web_url == "https://theodoi.example.vn"  # the webhooks' address
    assert Settings(_env_file=None).web_port == 8080


def test_the_outermost_stream_hides_secrets_in_messages_and_tracebacks() -> None:
    out = io.StringIO()
    stream = RedactingStream(out, ["123456:SECRET", "p@ss word"])
    try:
        raise RuntimeError("bad token 123456:SECRET for https://api/bot123456:SECRET/getMe")
    except RuntimeError:
        import traceback

        traceback.print_exc(file=stream)  # type: ignore[arg-type]
    stream.write("postgresql://u:p%40ss%20word@db/x\n")
    assert "SECRET" not in out.getvalue() and "p%40ss" not in out.getvalue()
    assert "postgresql://u:***@db/x" in out.getvalue() and "bad token ***" in out.getvalue()


def test_logging_goes_to_the_redacted_stderr(capsys) -> None:
    from bot.logs import redacted

    with redacted(["999999:HIDDEN-token"]):
        setup_logging()
        logging.getLogger("x").warning("POST https://api.telegram.org/bot999999:HIDDEN-token")
    logging.getLogger().handlers.clear()
    assert "HIDDEN" not in capsys.readouterr().err


async def test_a_group_cannot_link_and_a_member_is_not_the_principal(loaded: Engine,
                                                                     tmp_path: Path) -> None:
    tg = await FakeTelegram().start()
    settings = Settings(_env_file=None, database_url=str(loaded.url),
                        telegram_bot_token=tg.token, telegram_api_url=tg.api_url,
                        web_host="127.0.0.1", web_port=0)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, loaded, Core(loaded, settings.config()), stop))
    try:
        group = {"id": -100, "type": "group", "title": "Hiệu trưởng Hải An"}
        code = code_for(loaded, "TH-CATBI")
        tg.push({"message": {"message_id": 1, "date": int(time.time()), "chat": group,
                             "from": {"id": 5001, "is_bot": False, "first_name": "Hà"},
                             "text": f"/start {code}"}})
        assert "trò chuyện riêng" in (await tg.wait_for("sendMessage"))[-1]["text"]
        tg.message(5001, f"/start {code}")  # in private: linked, the user not the chat
        assert "Kính chào" in (await tg.wait_for("sendMessage", 2))[-1]["text"]
        tg.push({"message": {"message_id": 2, "date": int(time.time()), "chat": group,
                             "from": {"id": 6666, "is_bot": False, "first_name": "Lạ"},
                             "text": "xong 1.1"}})
        assert "chưa được liên kết" in (await tg.wait_for("sendMessage", 3))[-1]["text"]
        with session_scope(loaded) as session:
            record = session.exec(select(Assignment).join(Task).join(Unit).where(
                Unit.code == "TH-CATBI", Task.code == "1.1")).one()
        assert record.state == State.NOT_STARTED  # the group member wrote nothing
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
        await tg.stop()
