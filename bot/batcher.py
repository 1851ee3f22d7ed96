"""Group commit for the transports: messages that arrive together are handled in one
transaction, so one fsync confirms them all; each sender still gets only their answers,
and only after the commit."""

from __future__ import annotations

import asyncio

from handlers.core import Core
from handlers.messages import Incoming, Outgoing


class Batcher:
    def __init__(self, core: Core, max_batch: int = 256) -> None:
        self.core = core
        self.max_batch = max_batch
        self._queue: list[tuple[Incoming, asyncio.Future[list[Outgoing]]]] = []
        self._running = False

    async def handle(self, msg: Incoming) -> list[Outgoing]:
        future: asyncio.Future[list[Outgoing]] = asyncio.get_running_loop().create_future()
        self._queue.append((msg, future))
        if not self._running:
            self._running = True
            asyncio.get_running_loop().call_soon(self._flush)
        return await future

    def _flush(self) -> None:
        """Runs on the loop once the current wave of handlers has queued its messages."""
        try:
            while self._queue:
                batch, self._queue = self._queue[:self.max_batch], self._queue[self.max_batch:]
                try:
                    answers = self.core.handle_many([m for m, _ in batch])
                except Exception as err:  # the commit itself failed: nobody is told "done"
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(err)
                    continue
                for (_, future), out in zip(batch, answers, strict=True):
                    if not future.done():
                        future.set_result(out)
        finally:
            self._running = False
