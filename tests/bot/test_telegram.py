"""The real python-telegram-bot Application against a fake Bot API server on loopback:
onboarding, a reminder with buttons, a button press, a reply in context, a file as
evidence, /baocao with a document back — and 429, 5xx, 403 on the way out."""

import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.sender import Sender
from bot.settings import Settings
from bot.transports.telegram import TelegramTransport, keyboard
from handlers.core import Core
from handlers.messages import Button, Outgoing
from storage.contacts import contact_by_phone, contacts_of_unit
from storage.db import session_scope
from storage.invites import create_invite
from storage.models import Assignment, Outbox, OutboxState, State, Task, Unit
from storage.outbox import paused_until
from storage.units import unit_by_code
from tests.fakes.running import running
from tests.fakes.telegram_api import FakeTelegram
from tests.handlers.conftest import TZ, Clock

PRINCIPAL, STAFF = 5001, 9001


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram().start()
    yield server
    await server.stop()


@pytest.fixture
async def telegram(fake: FakeTelegram, loaded: Engine, tmp_path) -> AsyncIterator[
        tuple[TelegramTransport, Clock]]:
    clock = Clock(datetime(2024, 3, 22, 9, 0, tzinfo=TZ))
    core = Core(loaded, Settings.defaults().config(clock, tmp_path))
    transport = TelegramTransport(fake.token, api_url=fake.api_url)
    async with running(loaded, core, {"telegram": transport}):
        yield transport, clock


def code_for(engine: Engine, who: str) -> str:
    with session_scope(engine) as session:
        if who.isdigit():
            contact = contact_by_phone(session, phone=who)
        else:
            unit = unit_by_code(session, code=who)
            contact = contacts_of_unit(session, unit_id=unit.id)[0]
        return create_invite(session, contact_id=contact.id, days=14).code


def record(engine: Engine, unit: str, code: str) -> Assignment:
    with session_scope(engine) as session:
        return session.exec(select(Assignment).join(Task).join(Unit).where(
            Unit.code == unit, Task.code == code)).one()


async def onboard(fake: FakeTelegram, engine: Engine, chat: int, who: str) -> None:
    before = len(fake.sent())
    fake.message(chat, f"/start {code_for(engine, who)}")
    sent = await fake.wait_for("sendMessage", before + 1)
    assert "Kính chào" in sent[-1]["text"]


async def test_a_whole_conversation(fake: FakeTelegram, telegram, loaded: Engine) -> None:
    transport, clock = telegram
    assert [c["command"] for c in fake.sent("setMyCommands")[0]["commands"]][:2] == [
        "nhiemvu", "baocao"]

    fake.message(4242, "xin chào")
    assert "chưa được liên kết" in (await fake.wait_for("sendMessage"))[-1]["text"]

    await onboard(fake, loaded, PRINCIPAL, "TH-CATBI")
    await onboard(fake, loaded, STAFF, "0900000101")

    # staff: remind now about 1.2 → the principal's reminder, with buttons, via the outbox
    fake.message(STAFF, "/nhacnho 1.2")
    await fake.wait_for("sendMessage", 4)
    sender = Sender(loaded, {"telegram": transport}, clock)
    assert (await sender.drain()).sent == 1
    reminder = fake.sent()[-1]
    assert reminder["chat_id"] == str(PRINCIPAL) or int(reminder["chat_id"]) == PRINCIPAL
    assert "Kính gửi thầy/cô" in reminder["text"]
    buttons = [b["callback_data"] for row in reminder["reply_markup"]["inline_keyboard"]
               for b in row]
    assert "st:1.2:done" in buttons
    with session_scope(loaded) as session:
        row = session.exec(select(Outbox).where(Outbox.chat_id == str(PRINCIPAL))).one()
        reminder_id = int(row.message_id)

    # a bare reply to that reminder is understood in its context
    fake.message(PRINCIPAL, "đang làm 40%", reply_to=reminder_id)
    answer = (await fake.wait_for("sendMessage", 6))[-1]["text"]
    assert "1.2 — Đang thực hiện 40%" in answer
    assert record(loaded, "TH-CATBI", "1.2").percent == 40

    # a button press records and edits the reminder in place
    fake.press(PRINCIPAL, reminder_id, "st:1.2:done", text=reminder["text"])
    edited = (await fake.wait_for("editMessageText"))[-1]
    assert "1.2 — Hoàn thành" in edited["text"] and edited["text"].startswith("Kính gửi")
    assert fake.sent("answerCallbackQuery")
    assert record(loaded, "TH-CATBI", "1.2").state == State.DONE

    # a file as evidence
    fake.message(PRINCIPAL, "xong 1.1", document="FILE-123")
    await fake.wait_for("sendMessage", 7)
    assert record(loaded, "TH-CATBI", "1.1").evidence == "telegram:FILE-123"

    # /baocao with a document back
    fake.message(STAFF, "/baocao xlsx")
    (doc,) = await fake.wait_for("sendDocument")
    assert doc["document"]["filename"].endswith(".xlsx") and doc["document"]["size"] > 1000
    assert "Báo cáo (XLSX)" in doc["caption"]


async def test_outbox_faults(fake: FakeTelegram, telegram, loaded: Engine) -> None:
    transport, clock = telegram
    with session_scope(loaded) as session:
        from storage.contacts import contacts
        from storage.outbox import NewMessage, queue

        people = [c for c, _ in contacts(session)][:4]
        queue(session, [NewMessage(key=f"f{i}", kind="digest", contact_id=c.id,
                                   channel="telegram", chat_id=str(7000 + i), text=f"tin {i}")
                        for i, c in enumerate(people)], now=clock.now)
    fake.fail("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    fake.fail("sendMessage", 502, "Bad Gateway")
    fake.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    sender = Sender(loaded, {"telegram": transport}, clock, concurrency=1, wait_for_pause=0)
    first = await sender.drain()
    assert (first.sent, first.retried, first.failed) == (0, 1, 0)  # a 429 pauses the channel
    with session_scope(loaded) as session:
        assert paused_until(session, channels=["telegram"])["telegram"] == \
            clock.now + timedelta(seconds=7)
    clock.now += timedelta(seconds=8)
    second = await sender.drain()
    assert (second.sent, second.retried, second.failed) == (2, 1, 1)
    clock.now += timedelta(minutes=5)
    assert (await sender.drain()).sent == 1
    with session_scope(loaded) as session:
        states = {r.key: r.state for r in session.exec(select(Outbox))}
    assert list(states.values()).count(OutboxState.SENT) == 3
    assert list(states.values()).count(OutboxState.FAILED) == 1
    texts = [m["text"] for m in fake.sent() if m["text"].startswith("tin ")]
    assert len(texts) == len(set(texts)) == 3  # nothing twice, nothing lost but the blocked


async def test_timeouts_retry_and_old_servers_are_survived(fake: FakeTelegram,
                                                          loaded: Engine) -> None:
    fake.fail("setMyCommands", 404, "Not Found: method not found")
    clock = Clock(datetime(2024, 3, 22, 9, 0, tzinfo=TZ))
    transport = TelegramTransport(fake.token, api_url=fake.api_url, request_timeout=0.3)
    core = Core(loaded, Settings.defaults().config(clock))
    async with running(loaded, core, {"telegram": transport}):  # setMyCommands refused: fine
        with session_scope(loaded) as session:
            from storage.contacts import contacts
            from storage.outbox import NewMessage, queue

            contact = next(c for c, _ in contacts(session))
            queue(session, [NewMessage(key="slow", kind="digest", contact_id=contact.id,
                                       channel="telegram", chat_id="7777", text="chậm")],
                  now=clock.now)
        fake.delay = 1.0
        sender = Sender(loaded, {"telegram": transport}, clock)
        assert (await sender.drain()).retried == 1
        fake.delay = 0.0
        clock.now += timedelta(minutes=5)
        assert (await sender.drain()).sent == 1
        # the timed-out request may still have reached the server: at most that one twice
        assert [m["text"] for m in fake.sent()].count("chậm") in (1, 2)
        before = len(fake.sent())
        fake.message(1, "chào")  # still polling and answering
        answer = (await fake.wait_for("sendMessage", before + 1))[-1]["text"]
        assert "chưa được liên kết" in answer


def test_page_buttons_open_a_mini_app_in_private_chats_over_https() -> None:
    page = Outgoing("Bảng theo dõi", buttons=((Button("Mở", "", url="https://pgd.example/l/x"),
                                                Button("↩ Hoàn tác", "undo")),))
    private = keyboard(page, 777).inline_keyboard[0]  # type: ignore[union-attr]
    assert private[0].web_app is not None and private[0].web_app.url == "https://pgd.example/l/x"
    assert private[1].callback_data == "undo"
    group = keyboard(page, -100123).inline_keyboard[0][0]  # type: ignore[union-attr]
    assert group.web_app is None and group.url == "https://pgd.example/l/x"
    plain = Outgoing("x", buttons=((Button("Mở", "", url="http://localhost:8080/l/x"),),))
    assert keyboard(plain, 777).inline_keyboard[0][0].url == "http://localhost:8080/l/x"  # type: ignore[union-attr]


async def test_a_doubt_is_confirmed_with_one_tap(fake: FakeTelegram, telegram,
                                                 loaded: Engine) -> None:
    await onboard(fake, loaded, PRINCIPAL, "TH-CATBI")
    fake.message(PRINCIPAL, "2.1 rồi ạ")
    question = (await fake.wait_for("sendMessage", 2))[-1]
    assert "xác nhận" in question["text"]
    (yes, no), = question["reply_markup"]["inline_keyboard"]
    assert (yes["text"], no["text"]) == ("Đã hoàn thành 2.1", "Chưa")
    assert record(loaded, "TH-CATBI", "2.1").state == State.NOT_STARTED
    fake.press(PRINCIPAL, 7, yes["callback_data"], text=question["text"])  # the question
    edited = (await fake.wait_for("editMessageText"))[-1]
    assert "2.1 — Hoàn thành" in edited["text"]
    assert record(loaded, "TH-CATBI", "2.1").state == State.DONE


async def test_the_menu_button_opens_the_web_view_over_https(fake: FakeTelegram) -> None:
    for web_url, expected in (("https://theodoi.example.vn/", 1), ("http://localhost:8080", 0)):
        before = len(fake.sent("setChatMenuButton"))
        transport = TelegramTransport(fake.token, api_url=fake.api_url, web_url=web_url)
        await transport._connect()
        try:
            buttons = fake.sent("setChatMenuButton")[before:]
            assert len(buttons) == expected  # Telegram opens Mini Apps over HTTPS only
            if expected:
                assert json.loads(buttons[0]["menu_button"]) == {
                    "type": "web_app", "text": "Bảng theo dõi",
                    "web_app": {"url": "https://theodoi.example.vn/tg"}}
            commands = [c["command"] for c in fake.sent("setMyCommands")[-1]["commands"]]
            assert "web" in commands
        finally:
            await transport.stop()
