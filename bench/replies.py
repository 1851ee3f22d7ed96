"""Status replies end to end on SQLite with durable commits (stored in the inbox, handled,
answered), against two floors measured
in the same run: a bare insert-and-commit loop, and a bare PTB Application that echoes."""

from __future__ import annotations

import asyncio
import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from telegram import Update
from telegram.ext import ApplicationBuilder, MessageHandler, filters

from bench.offline import OfflineRequest, update
from bench.result import Result
from bot.inbox import Inbox
from bot.settings import Settings
from bot.transports.base import Received, Transport
from bot.transports.telegram import TelegramTransport, received
from bot.transports.zalo import ZaloClient, ZaloTransport, ZaloUpdate
from bot.transports.zalo import received as zalo_received
from handlers.core import Core
from handlers.messages import Outgoing
from storage.contacts import contacts
from storage.db import make_engine, session_scope, upgrade
from storage.files.plan import default_plan
from storage.files.roster import DEFAULT_UNITS, read_units
from storage.imports import link_identity, save_plan, save_units
from tests.fakes.zalo_api import FakeZalo

TZ = Settings.defaults().tz
PHRASES = ["xong 1.1", "1.2 đang làm 50%", "2.1 gặp khó khăn: thiếu kinh phí",
           "xong 2.2, 2.3", "5.1 dang thuc hien 70%", "hoan thanh 6.1"]


def floor_commits(path: Path, n: int = 3000) -> float:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    start = time.perf_counter()
    for _ in range(n):
        db.execute("INSERT INTO t (v) VALUES (?)", ("xong 1.1",))
        db.commit()
    rate = n / (time.perf_counter() - start)
    db.close()
    return rate


async def floor_echo(n: int = 5000) -> float:
    app = ApplicationBuilder().token("1:x").request(OfflineRequest()) \
        .get_updates_request(OfflineRequest()).concurrent_updates(True).build()

    async def echo(u: Update, _ctx: object) -> None:
        assert u.effective_message is not None
        await u.effective_message.reply_text(u.effective_message.text or "")

    app.add_handler(MessageHandler(filters.ALL, echo))
    await app.initialize()
    updates = [Update.de_json(update(i, 1000 + i % 25, "xong 1.1"), app.bot) for i in range(n)]
    start = time.perf_counter()
    await asyncio.gather(*(app.process_update(u) for u in updates))
    rate = n / (time.perf_counter() - start)
    await app.shutdown()
    return rate


def office(path: Path) -> tuple[Core, list[int]]:
    """The 2024 plan with every principal linked on Telegram (chat id = contact id)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    chats = []
    with session_scope(engine) as session:
        save_units(session, read_units(DEFAULT_UNITS))
        save_plan(session, default_plan())
        for c, _ in contacts(session):
            if c.role.value == "principal":
                link_identity(session, contact_id=c.id or 0, channel="telegram",
                              chat_id=str(c.id))
                chats.append(c.id or 0)
    clock = datetime(2024, 3, 20, 9, 0, tzinfo=TZ)
    return Core(engine, Settings.defaults().config(lambda: clock)), chats


async def through_inbox(core: Core, transport: Transport,
                        make: Callable[[int], Received], n: int) -> tuple[float, float, float]:
    """The whole way in: stored in the inbox, handled, answered through *transport*.
    (replies/s with n offered at once, p50 ms and p99 ms at 200 replies/s offered)."""
    inbox = Inbox(core.engine, core, {transport.channel: transport})
    done: dict[str, float] = {}
    answer = transport.answer

    async def timed_answer(received: Received, answers: list[Outgoing]) -> None:
        await answer(received, answers)
        done[received.update_id] = time.perf_counter()

    transport.answer = timed_answer  # type: ignore[method-assign]
    inbox.start()

    async def until(count: int) -> None:
        while len(done) < count:
            await asyncio.sleep(0.001)

    items = [make(i) for i in range(n)]  # parsed before the clock, as the echo floor's
    start = time.perf_counter()
    await asyncio.gather(*(inbox.receive(transport.channel, [items[i]]) for i in range(n)))
    await until(n)
    rate = n / (time.perf_counter() - start)
    del items  # the paced phase below makes each update as it arrives

    offered: dict[str, float] = {}

    async def one(i: int) -> None:
        item = make(n + i)  # as it arrives: latency counts from here
        offered[item.update_id] = time.perf_counter()
        await inbox.receive(transport.channel, [item])

    tasks = []
    begin = time.perf_counter()
    for i in range(1000):  # 200 a second, on schedule
        delay = begin + i / 200 - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i)))
    await asyncio.gather(*tasks)
    await until(n + 1000)
    await inbox.stop()
    latencies = sorted(done[u] - t for u, t in offered.items())
    return rate, statistics.median(latencies) * 1000, latencies[int(len(latencies) * .99)] * 1000


async def through_ptb(path: Path, n: int = 4000) -> tuple[float, float, float]:
    """Telegram: updates parsed by PTB, answers sent through PTB's Bot (offline request)."""
    core, chats = office(path)
    transport = TelegramTransport("1:x", request=OfflineRequest())
    await transport.bot.initialize()

    def make(i: int) -> Received:
        item = received(Update.de_json(update(i, chats[i % len(chats)],
                                              PHRASES[i % len(PHRASES)]), transport.bot))
        assert item is not None
        return item

    try:
        return await through_inbox(core, transport, make, n)
    finally:
        await transport.bot.shutdown()


async def through_zalo(path: Path, n: int = 2000) -> tuple[float, float, float]:
    """Zalo: answers sent over HTTP to a fake server in this process."""
    core, chats = office(path)
    fake = await FakeZalo().start()
    transport = ZaloTransport(ZaloClient(fake.token, fake.api_url))
    with session_scope(core.engine) as session:
        for c in chats:
            link_identity(session, contact_id=c, channel="zalo", chat_id=f"z{c}")

    def make(i: int) -> Received:
        chat = f"z{chats[i % len(chats)]}"
        return zalo_received(ZaloUpdate("message.text.received", chat, chat, "",
                                        PHRASES[i % len(PHRASES)], str(i)))

    try:
        result = await through_inbox(core, transport, make, n)
        assert len(fake.sent()) >= n + 1000, "every reply reached the server"
        return result
    finally:
        await transport.client.close()
        await fake.stop()


def run(work: Path) -> list[Result]:
    commit = floor_commits(work / "floor.db")
    echo = asyncio.run(floor_echo())
    rate, p50, p99 = asyncio.run(through_ptb(work / "replies.db"))
    zalo, zp50, zp99 = asyncio.run(through_zalo(work / "zalo.db"))
    return [
        Result("floor: bare insert + commit (WAL, synchronous=FULL)", commit, "commits/s"),
        Result("floor: bare PTB Application echo (offline request)", echo, "updates/s"),
        Result("status replies, stored first, through PTB (offline)", rate, "replies/s",
               "≥ 1,500/s and ≥ ¼ of echo", rate >= 1500 and rate >= echo / 4,
               f"{rate / echo:.2f}× echo; {rate / commit:.2f}× bare commits (group commit)"),
        Result("p50 latency at 200 replies/s offered", p50, "ms"),
        Result("p99 latency at 200 replies/s offered", p99, "ms", "≤ 20 ms", p99 <= 20),
        Result("status replies, stored first, through Zalo (fake server)", zalo,
               "replies/s", "", None, f"{zalo / echo:.2f}× PTB echo; {zalo / commit:.2f}× "
               "bare commits; the fake server shares this process"),
        Result("Zalo: p50 latency at 200 replies/s offered (reply sent over HTTP)", zp50, "ms"),
        Result("Zalo: p99 latency at 200 replies/s offered", zp99, "ms", "≤ 20 ms",
               zp99 <= 20),
    ]
