"""A small time-limited cache for what every message looks up (who wrote, their unit, the
active plan). Entries live `ttl` seconds, so a change made by another process (an import,
a link on another server) is seen within that time; this process clears it on its own
changes."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class TTLCache(Generic[K, V]):
    def __init__(self, ttl: float = 30.0, size: int = 100_000) -> None:
        self.ttl, self.size = ttl, size
        self._data: dict[K, tuple[float, V]] = {}

    def get(self, key: K, load: Callable[[], V | None]) -> V | None:
        now = time.monotonic()
        hit = self._data.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = load()
        if value is not None:  # misses are not remembered: a new link works at once
            if len(self._data) >= self.size:
                self._data.clear()
            self._data[key] = (now + self.ttl, value)
        return value

    def clear(self) -> None:
        self._data.clear()
