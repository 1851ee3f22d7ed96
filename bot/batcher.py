"""Group commit off the event loop: callers hand over work items and wait; whatever
arrived meanwhile is written by one function call on a worker thread (one transaction, one
fsync), and every caller learns the outcome of the write that carried its items."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")


class GroupCommit(Generic[T]):
    def __init__(self, write: Callable[[list[T]], None], thread: ThreadPoolExecutor) -> None:
        self.write = write
        self.thread = thread
        self._queued: list[tuple[list[T], asyncio.Future[None]]] = []
        self._flushing = False

    async def add(self, items: list[T]) -> None:
        """Returns once *items* are written; raises what the write raised."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        self._queued.append((items, future))
        if not self._flushing:
            self._flushing = True
            loop.create_task(self._flush())
        await future

    async def _flush(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._queued:
                batch, self._queued = self._queued, []
                try:
                    await loop.run_in_executor(self.thread, self.write,
                                               [i for items, _ in batch for i in items])
                except Exception as err:
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(err)
                    continue
                for _, future in batch:
                    if not future.done():
                        future.set_result(None)
        finally:
            self._flushing = False
