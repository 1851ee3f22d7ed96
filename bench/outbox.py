"""Sending the outbox through the real Telegram transport to a fake Bot API on loopback:
one that enforces 30 messages/s, and one that enforces nothing."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import Engine

from bench.result import Result
from bot.sender import Sender
from bot.transports.telegram import TelegramTransport
from storage.contacts import contacts
from storage.db import make_engine, session_scope, upgrade
from storage.files.roster import DEFAULT_UNITS, read_units
from storage.imports import save_units
from storage.outbox import NewMessage, queue
from tests.fakes.telegram_api import FakeTelegram

ROOT = Path(__file__).resolve().parents[1]


def _fresh(path: Path, n: int, chats: int) -> Engine:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with session_scope(engine) as session:
        save_units(session, read_units(DEFAULT_UNITS))
        contact = next(c for c, _ in contacts(session))
        queue(session, [NewMessage(key=f"b{i}", kind="digest", contact_id=contact.id or 0,
                                   channel="telegram", chat_id=str(10_000 + i % chats),
                                   text=f"Kính gửi thầy/cô — tin nhắc số {i}")
                        for i in range(n)], now=datetime.now(UTC))
    return engine


async def send(path: Path, n: int, limit: float, rate: float) -> tuple[float, int, int]:
    """(messages/s, 429s, messages delivered). The fake server runs in its own process, so
    the figure is this process's (the sender's) throughput."""
    engine = _fresh(path, n, chats=n)
    server = subprocess.Popen([sys.executable, "-m", "tests.fakes.telegram_api", str(limit)],
                              stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        token = FakeTelegram().token
        transport = TelegramTransport(token, api_url=f"http://127.0.0.1:{port}/bot")
        transport.limits = replace(transport.limits, rate=rate)
        await transport.bot.initialize()
        sender = Sender(engine, {"telegram": transport}, lambda: datetime.now(UTC),
                        concurrency=32)
        start = time.perf_counter()
        await sender.drain()
        elapsed = time.perf_counter() - start
        await transport.bot.shutdown()
        async with httpx.AsyncClient() as client:
            stats = (await client.get(f"http://127.0.0.1:{port}/stats")).json()
    finally:
        server.terminate()
        server.wait()
    return stats["sent"] / elapsed, stats["rate_limited"], stats["sent"]


def run(work: Path) -> list[Result]:
    limited, too_many, _ = asyncio.run(send(work / "outbox-30.db", 300, 30, 29.0))
    free, _, delivered = asyncio.run(send(work / "outbox-free.db", 5000, 0, 0.0))
    return [
        Result("outbox to a Bot API enforcing 30 msg/s", limited, "msg/s",
               "≥ 95% of 30/s, no 429", limited >= 28.5 and too_many == 0,
               f"{limited / 30:.0%} of the limit, {too_many} × 429"),
        Result("outbox to a Bot API with no limit (one process)", free, "msg/s", "≥ 1,000/s",
               free >= 1000, f"{delivered:,} delivered"),
    ]
