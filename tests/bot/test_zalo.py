"""The Zalo client and transport against a fake Zalo Bot API on loopback."""

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.sender import Sender
from bot.settings import Settings
from bot.transports.zalo import ZaloClient, ZaloError, ZaloTransport, parse_updates
from handlers.core import Core
from handlers.texts import NO_FILES
from handlers.web_links import file_of
from storage.db import session_scope
from storage.models import Outbox, OutboxState
from tests.bot.test_telegram import code_for, record
from tests.fakes.running import running
from tests.fakes.zalo_api import FakeZalo
from tests.handlers.conftest import TZ, Clock


@pytest.fixture
async def fake() -> AsyncIterator[FakeZalo]:
    server = await FakeZalo().start()
    yield server
    await server.stop()


@pytest.fixture
async def zalo(fake: FakeZalo, loaded: Engine, tmp_path) -> AsyncIterator[
        tuple[ZaloTransport, Clock]]:
    clock = Clock(datetime(2024, 3, 22, 9, 0, tzinfo=TZ))
    core = Core(loaded, Settings.defaults().config(clock, tmp_path))
    transport = ZaloTransport(ZaloClient(fake.token, fake.api_url))
    async with running(loaded, core, {"zalo": transport}):
        yield transport, clock


async def test_client_speaks_the_envelope(fake: FakeZalo) -> None:
    client = ZaloClient(fake.token, fake.api_url)
    assert (await client.get_me())["account_name"] == "nhacviec"
    assert await client.get_updates(timeout=1) == []  # 408: nothing arrived
    fake.fail("sendMessage", 429, "quota exceeded")
    with pytest.raises(ZaloError) as err:
        await client.send_message("u1", "chào")
    assert err.value.code == 429
    bad = ZaloClient("0:wrong", fake.api_url)
    with pytest.raises(ZaloError) as err:
        await bad.get_me()
    assert err.value.code == 401
    await client.close()
    await bad.close()


def test_updates_with_or_without_wrapper() -> None:
    message = {"from": {"id": "u1", "first_name": "Bình"}, "chat": {"id": "u1"},
               "text": "xong 1.1", "message_id": "9", "date": 1750316131602}
    bare = {"event_name": "message.text.received", "message": message}
    assert parse_updates(bare) == parse_updates({"ok": True, "result": bare})
    (update,) = parse_updates(bare)
    assert (update.chat_id, update.name, update.text) == ("u1", "Bình", "xong 1.1")
    assert parse_updates({"ok": True, "result": None}) == []
    assert parse_updates({"event_name": "x", "message": "?"}) == []


async def test_a_whole_conversation(fake: FakeZalo, zalo, loaded: Engine) -> None:
    transport, clock = zalo
    fake.text("stranger", "xong 1.1")
    assert "chưa được liên kết" in (await fake.wait_for(1))[-1]["text"]
    fake.wrap = False  # some servers send updates bare
    fake.text("u1", f"/start {code_for(loaded, 'TH-CATBI')}")
    assert "Kính chào" in (await fake.wait_for(2))[-1]["text"]
    fake.text("u1", "1.1 xong, 1.2 dang lam 30%")
    answer = (await fake.wait_for(3))[-1]["text"]
    assert "1.1 — Hoàn thành" in answer and "1.2 — Đang thực hiện 30%" in answer
    fake.inbox.append({"event_name": "message.image.received", "message": {
        "from": {"id": "u1"}, "chat": {"id": "u1"}, "caption": "xong 1.2",
        "photo": "https://zalo.example/p.jpg", "message_id": "p1"}})
    fake._event.set()
    await fake.wait_for(4)
    assert record(loaded, "TH-CATBI", "1.2").evidence == "https://zalo.example/p.jpg"
    fake.text("u1", "", event="message.sticker.received")
    assert "chỉ đọc được tin nhắn chữ" in (await fake.wait_for(5))[-1]["text"]

    fake.text("s1", f"/start {code_for(loaded, '0900000101')}")
    await fake.wait_for(6)
    fake.text("s1", "/baocao xlsx")
    assert NO_FILES in (await fake.wait_for(7))[-1]["text"]
    fake.text("s1", "/baocao")  # long: split under 2000 characters, cut between lines
    sent = await fake.wait_for(9)
    assert all(len(m["text"]) <= 2000 for m in sent)


async def test_reminders_and_faults_through_the_outbox(fake: FakeZalo, zalo,
                                                       loaded: Engine) -> None:
    transport, clock = zalo
    fake.text("u1", f"/start {code_for(loaded, 'TH-CATBI')}")
    fake.text("u2", f"/start {code_for(loaded, 'MN-CATBI')}")
    fake.text("u3", f"/start {code_for(loaded, 'THCS-CATBI')}")
    await fake.wait_for(3)
    from handlers.reminders.queue import plan_and_queue

    with session_scope(loaded) as session:
        assert plan_and_queue(session, datetime(2024, 3, 22, 7, 30, tzinfo=TZ),
                              Settings.defaults().config().rules) == 3
    fake.fail("sendMessage", 429, "quota exceeded")
    fake.fail("sendMessage", 403, "user blocked the bot")
    sender = Sender(loaded, {"zalo": transport}, clock, concurrency=1, wait_for_pause=0)
    first = await sender.drain()
    assert (first.sent, first.retried, first.failed) == (0, 1, 0)  # 429: the channel pauses
    clock.now += timedelta(minutes=2)
    second = await sender.drain()
    assert (second.sent, second.failed) == (2, 1)
    reminders = [m["text"] for m in fake.sent() if m["text"].startswith("Kính gửi")]
    assert len(reminders) == 2
    assert "Trả lời ngắn: “xong 1.2”" in reminders[0]  # no buttons: the text says how
    with session_scope(loaded) as session:
        states = [r.state for r in session.exec(select(Outbox))]
    assert states.count(OutboxState.SENT) == 2 and states.count(OutboxState.FAILED) == 1


async def test_files_and_pages_go_out_as_signed_links(fake: FakeZalo, loaded: Engine,
                                                      tmp_path) -> None:
    clock = Clock(datetime(2024, 3, 22, 9, 0, tzinfo=TZ))
    config = replace(Settings.defaults().config(clock, tmp_path), web_url="https://pgd.example")
    core = Core(loaded, config)
    transport = ZaloTransport(ZaloClient(fake.token, fake.api_url))
    async with running(loaded, core, {"zalo": transport}):
        fake.text("s1", f"/start {code_for(loaded, '0900000101')}")
        await fake.wait_for(1)
        fake.text("s1", "/baocao xlsx")
        answer = (await fake.wait_for(2))[-1]["text"]
        assert NO_FILES not in answer and "https://pgd.example/tep/f." in answer
        token = answer.rsplit("/tep/", 1)[1].strip()
        with session_scope(loaded) as session:
            name = file_of(session, config, token, clock())
        assert name is not None and (tmp_path / name).is_file() and name.endswith(".xlsx")
        fake.text("s1", "/web")
        page = (await fake.wait_for(3))[-1]["text"]
        assert "📊 Bảng theo dõi: https://pgd.example/l/p." in page
