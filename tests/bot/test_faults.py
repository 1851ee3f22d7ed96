"""Faults: a sender killed mid-send, a channel down for an hour."""

import asyncio
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from bot.sender import Sender
from bot.transports.telegram import TelegramTransport
from tests.bot.test_pg_senders import fill_outbox, start_sender
from tests.fakes.telegram_api import FakeTelegram
from tests.handlers.conftest import TZ, Clock


async def test_sigkill_mid_send_loses_nothing(loaded: Engine, db_url: str) -> None:
    fill_outbox(loaded, 1000)
    fake = await FakeTelegram(delay=0.004).start()
    try:
        first = await start_sender(db_url, fake, lease=1.0, concurrency=4)
        while len(fake.sent()) < 250:
            await asyncio.sleep(0.01)
        first.send_signal(signal.SIGKILL)
        await first.wait()
        killed_at = len(fake.sent())
        assert killed_at < 1000
        second = await start_sender(db_url, fake, lease=1.0, concurrency=4)
        assert await asyncio.wait_for(second.wait(), 120) == 0
    finally:
        await fake.stop()
    counts = Counter(m["text"] for m in fake.sent())
    assert len(counts) == 1000  # every reminder delivered
    twice = sum(n - 1 for n in counts.values())
    assert twice <= 4  # at most the messages that were in flight (the sender's concurrency)


async def test_channel_down_for_an_hour_then_back(loaded: Engine) -> None:
    clock = Clock(datetime(2024, 3, 22, 7, 30, tzinfo=TZ))
    fill_outbox(loaded, 60, now=clock.now)
    fake = await FakeTelegram(rate_limit=30).start()
    transport = TelegramTransport(fake.token, api_url=fake.api_url)
    await transport.bot.initialize()
    try:
        fake.fail("sendMessage", 503, "Service Unavailable", times=100_000)
        sender = Sender(loaded, {"telegram": transport}, clock)
        end = clock.now + timedelta(hours=1)
        tries = 0
        while clock.now < end:
            result = await sender.drain()
            assert result.sent == 0 and result.failed == 0  # kept, not given up
            tries += result.retried
            clock.now += timedelta(minutes=5)
        assert tries >= 60 * 5  # retried with backoff all along
        fake.faults.clear()  # the channel is back
        clock.now += timedelta(hours=1)  # past every backoff
        result = await sender.drain()
        assert result.sent == 60
    finally:
        await transport.bot.shutdown()
        await fake.stop()
    assert [m["text"] for m in fake.sent()] == [f"tin số {i}" for i in range(60)]  # in order
    assert fake.rate_limited == 0  # within the rate limit: no 429


ROOT = Path(__file__).resolve().parents[2]


async def start_run(db_url: str, fake: FakeTelegram) -> asyncio.subprocess.Process:
    """`nhacviec run` itself, as a separate process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": db_url,
           "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_URL": fake.api_url,
           "WEB_PORT": "0", "TICK_SECONDS": "1", "SEND_TIME": "23:59"}
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)


async def until(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


def reminders(fake: FakeTelegram) -> Counter[str]:
    return Counter(m["text"] for m in fake.sent() if m["text"].startswith("tin số"))


async def test_sigkill_of_nhacviec_run_mid_send_loses_nothing(loaded: Engine,
                                                              db_url: str) -> None:
    fill_outbox(loaded, 200)
    fake = await FakeTelegram(delay=0.2).start()  # a slow API: sends stay in flight
    try:
        first = await start_run(db_url, fake)
        await until(lambda: len(reminders(fake)) >= 40 and fake.in_flight > 0, 60)
        # on the wire, or answered in the last 0.5 s and not yet recorded (group commit)
        killed_at = time.monotonic()
        in_flight = fake.in_flight + sum(t > killed_at - 0.5 for t in fake.answered_at)
        first.send_signal(signal.SIGKILL)
        await first.wait()
        assert fake.in_flight > 0 and len(reminders(fake)) < 200
        second = await start_run(db_url, fake)
        await until(lambda: len(reminders(fake)) == 200, 90)  # the lease (30 s), then the rest
        second.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(second.wait(), 20) == 0
    finally:
        await fake.stop()
    twice = sum(n - 1 for n in reminders(fake).values())
    assert twice <= in_flight  # only what the killed process had on the wire


async def test_three_nhacviec_run_processes_share_the_outbox(loaded: Engine,
                                                             db_url: str) -> None:
    fill_outbox(loaded, 600)
    fake = await FakeTelegram(delay=0.02).start()
    try:
        procs = [await start_run(db_url, fake) for _ in range(3)]
        await until(lambda: len(reminders(fake)) >= 600, 120)
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        assert [await asyncio.wait_for(p.wait(), 20) for p in procs] == [0, 0, 0]
    finally:
        await fake.stop()
    counts = reminders(fake)
    assert len(counts) == 600 and max(counts.values()) == 1  # each once
    assert len([a for a, n in fake.senders.items() if n > 0]) == 3  # each process sent
