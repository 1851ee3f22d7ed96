"""An asyncio rate limiter: an overall rate, a minimum interval per chat, and a pause
(a 429's retry_after) that holds every send back."""

from __future__ import annotations

import asyncio
import time


class RateLimiter:
    def __init__(self, rate: float, per_chat_interval: float = 0.0) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.per_chat = per_chat_interval
        self.next_free = 0.0
        self.paused_to = 0.0
        self.chat_next: dict[str, float] = {}
        self.lock = asyncio.Lock()

    def pause(self, seconds: float) -> None:
        """Nothing goes out for *seconds* from now (sends already waiting included)."""
        self.paused_to = max(self.paused_to, time.monotonic() + seconds)

    def resume(self) -> None:
        """The pause is over (the shared pause in the database says so)."""
        self.paused_to = 0.0

    def pause_left(self) -> float:
        """Seconds the current pause still lasts (0 when none)."""
        return max(0.0, self.paused_to - time.monotonic())

    async def wait(self, chat_id: str, deadline: float = float("inf")) -> bool:
        """Wait for this send's slot (slots are handed out in order of asking); a pause
        that comes while waiting moves the slot past it. False, at once, when the slot
        would come after *deadline* (monotonic): the send is to be held back, not waited."""
        while True:
            async with self.lock:
                now = time.monotonic()
                at = max(now, self.next_free, self.paused_to, self.chat_next.get(chat_id, 0.0))
                if at > deadline:
                    return False
                self.next_free = at + self.interval
                self.chat_next[chat_id] = at + self.per_chat
                if len(self.chat_next) > 10000:
                    self.chat_next = {k: v for k, v in self.chat_next.items() if v > now}
            delay = at - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            if self.paused_to <= at:
                return True
