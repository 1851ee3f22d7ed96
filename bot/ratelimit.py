"""An asyncio rate limiter: an overall rate, and a minimum interval per chat."""

from __future__ import annotations

import asyncio
import time


class RateLimiter:
    def __init__(self, rate: float, per_chat_interval: float = 0.0) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.per_chat = per_chat_interval
        self.next_free = 0.0
        self.chat_next: dict[str, float] = {}
        self.lock = asyncio.Lock()

    async def wait(self, chat_id: str) -> None:
        async with self.lock:
            now = time.monotonic()
            at = max(now, self.next_free, self.chat_next.get(chat_id, 0.0))
            self.next_free = at + self.interval
            self.chat_next[chat_id] = at + self.per_chat
            if len(self.chat_next) > 10000:
                self.chat_next = {k: v for k, v in self.chat_next.items() if v > now}
        delay = at - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
