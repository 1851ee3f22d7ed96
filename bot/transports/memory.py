"""The in-memory transport: the reference channel for the demo, the tests and the
benchmarks (in the manner of errbot's TestBackend: push a message, pop the answers).

In the service it behaves like any channel: `push` hands an update to the inbox (stored,
then handled, then answered through `answer`), and every message sent lands in `sent`.
Without a service, `talk` hands a message straight to the core (the conversation harness
of `nhacviec chat` and the conversation tests).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable

from aiohttp import web

from bot.transports.base import Limits, Receive, Received, store_until_stored
from handlers.core import Core
from handlers.messages import Incoming, Outgoing

UNLIMITED = Limits(text=4096, buttons=True, files=True, rate=0.0, per_chat_interval=0.0)


class MemoryTransport:
    def __init__(self, channel: str = "memory", limits: Limits = UNLIMITED) -> None:
        self.channel, self.limits = channel, limits
        self.sent: list[tuple[str, Outgoing]] = []  # (chat id, message), in sending order
        self.script: dict[str, list[Exception]] = {}  # chat id → errors the next sends raise
        self._receive: Receive | None = None
        self._updates = 0
        self._popped = 0

    # -- the contract -------------------------------------------------------------------

    def routes(self) -> list[web.RouteDef]:
        return []

    async def start(self, receive: Receive) -> None:
        self._receive = receive

    async def stop(self) -> None:
        self._receive = None

    async def send(self, chat_id: str, message: Outgoing) -> str:
        errors = self.script.get(chat_id)
        if errors:
            raise errors.pop(0)
        self.sent.append((chat_id, message))
        return str(len(self.sent))

    async def answer(self, received: Received, answers: list[Outgoing]) -> None:
        for out in answers:
            await self.send(out.chat_id or received.message.chat_id, out)

    # -- for the tests, the demo and the benchmarks ---------------------------------------

    def fail(self, chat_id: str, *errors: Exception) -> None:
        """The next sends to *chat_id* raise these errors, in order."""
        self.script.setdefault(chat_id, []).extend(errors)

    def incoming(self, chat_id: str, text: str = "", **fields: str | bool) -> Incoming:
        return Incoming(self.channel, chat_id, text, **fields)  # type: ignore[arg-type]

    async def push(self, chat_id: str, text: str = "", *, update_id: str = "",
                   **fields: str | bool) -> str:
        """Hand a message to the running service; returns once it is stored (waiting, as
        a platform does, while the database is busy)."""
        if self._receive is None:
            raise RuntimeError("the memory transport is not started")
        self._updates += 1
        update_id = update_id or f"u{self._updates}"
        await store_until_stored(self._receive, self.channel, [
            Received(update_id, self.incoming(chat_id, text, **fields))])
        return update_id

    def talk(self, core: Core, chat_id: str, text: str = "",
             **fields: str | bool) -> list[Outgoing]:
        """Without a service: the core's answers to one message (also kept in `sent`)."""
        answers = core.handle(self.incoming(chat_id, text, **fields))
        self.sent.extend((chat_id, a) for a in answers)
        return answers

    def pop(self, chat_id: str | None = None) -> list[Outgoing]:
        """Messages sent since the last pop (to *chat_id* only, if given)."""
        fresh, self._popped = self.sent[self._popped:], len(self.sent)
        return [m for c, m in fresh if chat_id is None or c == chat_id]

    def to(self, chat_id: str) -> list[Outgoing]:
        return [m for c, m in self.sent if c == chat_id]

    async def wait(self, count: int = 1, chat_id: str | None = None,
                   timeout: float = 10.0) -> list[Outgoing]:
        """Wait until *count* messages were sent (to *chat_id*, if given)."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.to(chat_id) if chat_id else [m for _, m in self.sent]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(found)} messages sent, waited for {count}")
            await asyncio.sleep(0.01)


def texts_of(messages: Iterable[Outgoing]) -> str:
    return "\n".join(m.text for m in messages)
