"""Status replies end to end on SQLite with durable commits, against two floors measured
in the same run: a bare insert-and-commit loop, and a bare PTB Application that echoes."""

from __future__ import annotations

import asyncio
import sqlite3
import statistics
import time
from datetime import datetime
from pathlib import Path

from telegram import Update
from telegram.ext import ApplicationBuilder, MessageHandler, filters

from bench.offline import OfflineRequest, update
from bench.result import Result
from bot.settings import Settings
from bot.transports.telegram import TelegramTransport
from bot.transports.zalo import ZaloClient, ZaloTransport, ZaloUpdate
from handlers.core import Core
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


async def through_ptb(path: Path, n: int = 4000) -> tuple[float, float, float]:
    """(replies/s saturated, p50 ms and p99 ms at 200 replies/s offered)."""
    core, chats = office(path)
    transport = TelegramTransport("1:x", core, request=OfflineRequest())
    app = transport.app
    await app.initialize()
    ups = [Update.de_json(update(i, chats[i % len(chats)], PHRASES[i % len(PHRASES)]), app.bot)
           for i in range(n)]
    start = time.perf_counter()
    await asyncio.gather(*(app.process_update(u) for u in ups))
    rate = n / (time.perf_counter() - start)

    latencies: list[float] = []

    async def one(u: Update) -> None:
        t = time.perf_counter()
        await app.process_update(u)
        latencies.append(time.perf_counter() - t)

    paced = [Update.de_json(update(n + i, chats[i % len(chats)], PHRASES[i % len(PHRASES)]),
                            app.bot) for i in range(1000)]
    tasks = []
    begin = time.perf_counter()
    for i, u in enumerate(paced):  # 200 a second, on schedule
        delay = begin + i / 200 - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(u)))
    await asyncio.gather(*tasks)
    await app.shutdown()
    latencies.sort()
    return rate, statistics.median(latencies) * 1000, latencies[int(len(latencies) * .99)] * 1000


async def through_zalo(path: Path, n: int = 2000) -> tuple[float, float, float]:
    """(replies/s with 32 in flight, p50 ms and p99 ms at 200 replies/s offered)."""
    core, chats = office(path)
    fake = await FakeZalo().start()
    transport = ZaloTransport(ZaloClient(fake.token, fake.api_url), core)
    with session_scope(core.engine) as session:
        for c in chats:
            link_identity(session, contact_id=c, channel="zalo", chat_id=f"z{c}")
    ups = [ZaloUpdate("message.text.received", f"z{chats[i % len(chats)]}", "", "",
                      PHRASES[i % len(PHRASES)], str(i)) for i in range(n)]
    gate = asyncio.Semaphore(32)  # as many updates in flight as a webhook server would take

    async def one(u: ZaloUpdate) -> None:
        async with gate:
            await transport.handle_update(u)

    start = time.perf_counter()
    await asyncio.gather(*(one(u) for u in ups))
    rate = n / (time.perf_counter() - start)
    assert len(fake.sent()) >= n, "every reply reached the server"

    latencies: list[float] = []

    async def timed(u: ZaloUpdate) -> None:
        t = time.perf_counter()
        await transport.handle_update(u)
        latencies.append(time.perf_counter() - t)

    tasks = []
    begin = time.perf_counter()
    for i, u in enumerate(ups[:1000]):  # 200 a second, on schedule
        delay = begin + i / 200 - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(timed(u)))
    await asyncio.gather(*tasks)
    await transport.client.close()
    await fake.stop()
    latencies.sort()
    return rate, statistics.median(latencies) * 1000, latencies[int(len(latencies) * .99)] * 1000


def run(work: Path) -> list[Result]:
    commit = floor_commits(work / "floor.db")
    echo = asyncio.run(floor_echo())
    rate, p50, p99 = asyncio.run(through_ptb(work / "replies.db"))
    zalo, zp50, zp99 = asyncio.run(through_zalo(work / "zalo.db"))
    return [
        Result("floor: bare insert + commit (WAL, synchronous=FULL)", commit, "commits/s"),
        Result("floor: bare PTB Application echo (offline request)", echo, "updates/s"),
        Result("status replies through the real PTB Application", rate, "replies/s",
               "≥ 1,500/s and ≥ ¼ of echo", rate >= 1500 and rate >= echo / 4,
               f"{rate / echo:.2f}× echo; {rate / commit:.2f}× bare commits (group commit)"),
        Result("p50 latency at 200 replies/s offered", p50, "ms"),
        Result("p99 latency at 200 replies/s offered", p99, "ms", "≤ 20 ms", p99 <= 20),
        Result("status replies through the Zalo client (fake server, HTTP)", zalo,
               "replies/s", "", None, f"{zalo / echo:.2f}× PTB echo; {zalo / commit:.2f}× "
               "bare commits; the fake server shares this process"),
        Result("Zalo: p50 latency at 200 replies/s offered (reply sent over HTTP)", zp50, "ms"),
        Result("Zalo: p99 latency at 200 replies/s offered", zp99, "ms", "≤ 20 ms",
               zp99 <= 20),
    ]
