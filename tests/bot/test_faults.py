"""Faults: a sender killed mid-send, a channel down for an hour."""

import asyncio
import signal
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import Engine

from bot.sender import Sender
from bot.settings import Settings
from bot.transports.telegram import TelegramTransport
from handlers.core import Core
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
    transport = TelegramTransport(fake.token, Core(loaded, Settings.defaults().config()),
                                  api_url=fake.api_url)
    await transport.app.initialize()
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
        await transport.app.shutdown()
        await fake.stop()
    assert [m["text"] for m in fake.sent()] == [f"tin số {i}" for i in range(60)]  # in order
    assert fake.rate_limited == 0  # within the rate limit: no 429
