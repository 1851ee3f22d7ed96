"""Every way in, against random input, on both databases: the webhooks of both channels
(and so their update parsing), the polling parsers, and the file readers. Nothing crashes,
nothing is stored that the core cannot answer, and every refusal is a clean one."""

import asyncio
import contextlib
import json
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from bot.inbox import Inbox
from bot.server import build_app
from bot.settings import Settings
from bot.transports.memory import MemoryTransport
from bot.transports.telegram import TelegramTransport
from bot.transports.zalo import ZaloClient, ZaloTransport, parse_updates
from handlers import texts
from handlers.core import Core
from storage.db import session_scope
from storage.files.errors import ImportFileError
from storage.files.plan import read_plan
from storage.files.roster import read_units
from storage.inbox import rows
from storage.models import InboxState

SECRET = "fuzz-secret-123"
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
TEXT = st.one_of(st.text(max_size=80), st.sampled_from(
    ["/start ABCDEFGH", "/baocao@nhacviec_bot", "/baocao@other_bot", "xong 1.1\x00",
     "\u202e/moi", "st:1.2:done", "x" * 5000]))
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-2**63, 2**63), TEXT)
JSON = st.recursive(SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=5)),
    max_leaves=20)


def telegram_like(draw: Any) -> Any:
    chat = {"id": draw(st.one_of(st.integers(-10**12, 10**12), TEXT)),
            "type": draw(st.sampled_from(["private", "group", "supergroup", "channel", 5]))}
    user = {"id": draw(st.integers(1, 10**10)), "is_bot": draw(st.booleans()),
            "first_name": draw(TEXT)}
    message = {"message_id": draw(st.integers(0, 10**6)), "date": 0, "chat": chat,
               "from": user, "text": draw(TEXT)}
    update: dict[str, Any] = {"update_id": draw(st.integers(0, 10**9))}
    kind = draw(st.sampled_from(["message", "edited_message", "callback_query", "junk"]))
    if kind == "callback_query":
        update[kind] = {"id": "q", "chat_instance": "c", "from": user, "data": draw(TEXT),
                        "message": message}
    elif kind == "junk":
        update.update(draw(st.dictionaries(st.text(max_size=10), JSON, max_size=3)))
    else:
        update[kind] = message
    return update


def zalo_like(draw: Any) -> Any:
    message = {"from": {"id": draw(st.one_of(TEXT, st.integers())), "display_name": draw(TEXT)},
               "chat": {"id": draw(st.one_of(TEXT, st.integers())),
                        "chat_type": draw(st.sampled_from(["PRIVATE", "GROUP", "", 3]))},
               "text": draw(TEXT), "message_id": draw(st.one_of(TEXT, st.integers()))}
    update = {"event_name": draw(st.sampled_from(["message.text.received",
                                                  "message.sticker.received", "x", 7])),
              "message": draw(st.one_of(st.just(message), JSON))}
    return draw(st.sampled_from([update, {"ok": True, "result": update}, [update]]))


BODY = st.one_of(st.composite(telegram_like)(), st.composite(zalo_like)(),
                 JSON.map(json.dumps).map(str.encode), st.binary(max_size=300))


async def post_all(engine: Engine, bodies: list[Any]) -> list[int]:
    core = Core(engine, Settings.defaults().config())
    telegram = TelegramTransport("123:fuzz", api_url="http://127.0.0.1:9/bot",
                                 webhook_url="https://x.example", secret=SECRET)
    zalo = ZaloTransport(ZaloClient("1:fuzz", "http://127.0.0.1:9/bot"),
                         webhook_url="https://x.example", secret=SECRET)
    memory = {"telegram": MemoryTransport("telegram"), "zalo": MemoryTransport("zalo")}
    inbox = Inbox(engine, core, memory)  # answers land in memory, not on a network
    telegram._receive = zalo._receive = inbox.receive
    statuses = []
    async with TestClient(TestServer(build_app([telegram.routes(), zalo.routes()]))) as http:
        for body in bodies:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            for path, header in (("/telegram", "X-Telegram-Bot-Api-Secret-Token"),
                                 ("/zalo", "X-Bot-Api-Secret-Token")):
                response = await http.post(path, data=data, headers={header: SECRET})
                statuses.append(response.status)
    while await inbox.process():
        pass
    await inbox.stop()
    await zalo.client.close()
    answers = [m.text for t in memory.values() for _, m in t.sent]
    assert texts.FAILED not in answers  # stored updates are all understood by the core
    return statuses


@SETTINGS
@given(bodies=st.lists(BODY, min_size=1, max_size=8))
def test_webhooks_of_both_channels_take_anything(loaded: Engine, bodies: list[Any]) -> None:
    statuses = asyncio.run(post_all(loaded, bodies))
    assert set(statuses) <= {200, 400}
    with session_scope(loaded) as session:
        assert {r.state for r in rows(session)} <= {InboxState.ANSWERED}


@SETTINGS
@given(data=JSON)
def test_zalo_polling_parser_takes_anything(data: Any) -> None:
    for update in parse_updates(data):
        assert update.chat_id and update.user_id and "\x00" not in update.text


@SETTINGS
@given(content=st.one_of(st.binary(max_size=2000), st.text(max_size=2000).map(str.encode)),
       suffix=st.sampled_from([".csv", ".xlsx", ".yaml", ".docx"]))
def test_file_readers_refuse_garbage_cleanly(tmp_path: Path, content: bytes,
                                             suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(content)
    for reader in (read_units, read_plan):
        with contextlib.suppress(ImportFileError):  # anything else fails the test
            reader(path)
