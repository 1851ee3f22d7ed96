"""A sender process for the multi-process tests: drains the outbox through the real
Telegram transport until nothing is pending, then exits."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta

from bot.sender import Sender
from bot.transports.telegram import TelegramTransport
from storage.db import make_engine, session_scope
from storage.outbox import pending_count


async def main(db_url: str, api_url: str, token: str, lease: float, concurrency: int) -> None:
    engine = make_engine(db_url)
    transport = TelegramTransport(token, api_url=api_url)
    await transport.bot.initialize()
    sender = Sender(engine, {"telegram": transport}, lambda: datetime.now(UTC),
                    concurrency=concurrency, lease=timedelta(seconds=lease))
    try:
        while True:
            result = await sender.drain()
            if result.sent + result.retried + result.failed:
                continue
            with session_scope(engine) as session:
                if pending_count(session) == 0:
                    break
            await asyncio.sleep(0.05)  # rows leased by others, or waiting for a retry
    finally:
        await transport.bot.shutdown()


if __name__ == "__main__":
    db, api, tok, lease, conc = sys.argv[1:6]
    asyncio.run(main(db, api, tok, float(lease), int(conc)))
