"""Several sender processes on one database: each outbox row goes out exactly once
(PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one atomic UPDATE … RETURNING)."""

import asyncio
import os
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from storage.contacts import contacts
from storage.db import session_scope
from storage.outbox import NewMessage, queue
from tests.fakes.telegram_api import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]


def fill_outbox(engine: Engine, n: int, now: datetime | None = None) -> None:
    with session_scope(engine) as session:
        contact = next(c for c, _ in contacts(session))
        queue(session, [NewMessage(key=f"m{i}", kind="digest", contact_id=contact.id,
                                   channel="telegram", chat_id=str(10_000 + i % 300),
                                   text=f"tin số {i}") for i in range(n)],
              now=now or datetime.now(UTC))


async def start_sender(db_url: str, fake: FakeTelegram, lease: float = 120,
                       concurrency: int = 8) -> asyncio.subprocess.Process:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.fakes.sender_process", db_url, fake.api_url, fake.token,
        str(lease), str(concurrency), cwd=ROOT, env=env)


async def test_three_senders_send_each_reminder_once(loaded: Engine, db_url: str) -> None:
    fill_outbox(loaded, 1000)
    fake = await FakeTelegram().start()
    try:
        procs = [await start_sender(db_url, fake) for _ in range(3)]
        codes = await asyncio.wait_for(asyncio.gather(*(p.wait() for p in procs)), 120)
        assert codes == [0, 0, 0]
    finally:
        await fake.stop()
    counts = Counter(m["text"] for m in fake.sent())
    assert len(counts) == 1000 and max(counts.values()) == 1
