"""A plan file sent to the real Telegram transport (fake Bot API on loopback): the
transport fetches the document into the files dir, the core previews it with "Nhập" /
"Huỷ", and a tap imports it; a file over the size cap is never fetched."""

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.run import downloads
from bot.settings import Settings
from bot.transports.telegram import TelegramTransport
from handlers.core import Core
from storage.db import session_scope
from storage.models import PendingImport, Task
from tests.bot.test_telegram import STAFF, onboard
from tests.fakes.running import running
from tests.fakes.telegram_api import FakeTelegram
from tests.handlers.conftest import TZ, Clock
from tests.storage.files.test_corpus import CORPUS


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram().start()
    yield server
    await server.stop()


@pytest.fixture
async def telegram(fake: FakeTelegram, loaded: Engine, tmp_path: Path
                   ) -> AsyncIterator[TelegramTransport]:
    config = Settings.defaults().config(Clock(datetime(2024, 3, 22, 9, 0, tzinfo=TZ)),
                                        tmp_path)
    transport = TelegramTransport(fake.token, api_url=fake.api_url,
                                  downloads=downloads(config))
    async with running(loaded, Core(loaded, config), {"telegram": transport}):
        yield transport


async def test_a_plan_sent_in_the_chat_is_previewed_then_imported(
        fake: FakeTelegram, telegram: TelegramTransport, loaded: Engine,
        tmp_path: Path) -> None:
    await onboard(fake, loaded, STAFF, "0900000101")
    content = (CORPUS / "ke-hoach-2024-word.docx").read_bytes()
    fake.message(STAFF, document="PLAN-1", file_name="ke-hoach-2024-word.docx",
                 content=content)
    preview = (await fake.wait_for("sendMessage", 2))[-1]
    assert preview["text"].startswith("XEM TRƯỚC KẾ HOẠCH")
    assert "7 mục, 21 nhiệm vụ; hạn sớm nhất 29/02/2024, muộn nhất 30/06/2024" in \
        preview["text"]
    (ok, cancel), = preview["reply_markup"]["inline_keyboard"]
    assert (ok["text"], cancel["text"]) == ("Nhập", "Huỷ")
    assert fake.sent("getFile")
    saved = list((tmp_path / "incoming").rglob("*.docx"))
    assert [p.name for p in saved] == ["ke-hoach-2024-word.docx"]
    assert saved[0].read_bytes() == content
    with session_scope(loaded) as session:
        assert session.exec(select(PendingImport)).one().path == str(saved[0])

    fake.press(STAFF, 1, ok["callback_data"], text=preview["text"])
    edited = (await fake.wait_for("editMessageText"))[-1]
    assert "Đã nhập kế hoạch “Kế hoạch Cải cách hành chính" in edited["text"]
    assert "reply_markup" not in edited or not edited["reply_markup"]  # no second tap
    with session_scope(loaded) as session:
        assert session.exec(select(PendingImport)).all() == []
    assert not saved[0].exists()


async def test_cancel_in_the_chat_writes_nothing(fake: FakeTelegram,
                                                 telegram: TelegramTransport,
                                                 loaded: Engine, tmp_path: Path) -> None:
    await onboard(fake, loaded, STAFF, "0900000101")
    with session_scope(loaded) as session:
        contents = sorted((t.code, t.content, t.deadline_text)
                          for t in session.exec(select(Task)))
    fake.message(STAFF, document="PLAN-2", file_name="ke-hoach-2024-excel.xlsx",
                 content=(CORPUS / "ke-hoach-2024-excel.xlsx").read_bytes())
    preview = (await fake.wait_for("sendMessage", 2))[-1]
    (_, cancel), = preview["reply_markup"]["inline_keyboard"]
    fake.press(STAFF, 1, cancel["callback_data"], text=preview["text"])
    edited = (await fake.wait_for("editMessageText"))[-1]
    assert "Đã huỷ" in edited["text"]
    with session_scope(loaded) as session:
        assert sorted((t.code, t.content, t.deadline_text)
                      for t in session.exec(select(Task))) == contents
        assert session.exec(select(PendingImport)).all() == []
    assert not list((tmp_path / "incoming").rglob("*.xlsx"))


async def test_a_file_over_the_cap_is_not_fetched(fake: FakeTelegram,
                                                  telegram: TelegramTransport,
                                                  loaded: Engine, tmp_path: Path) -> None:
    await onboard(fake, loaded, STAFF, "0900000101")
    fake.message(STAFF, document="HUGE", file_name="ke-hoach.xlsx",
                 content=b"x" * (10 * 2**20 + 1))
    answer = (await fake.wait_for("sendMessage", 2))[-1]
    assert "lớn hơn 10 MB" in answer["text"]
    assert not fake.sent("getFile")
    assert not (tmp_path / "incoming").exists()
