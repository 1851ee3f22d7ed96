"""The service's way in, for tests: the inbox, the transports started on it, and the one
web server (on a free loopback port) — as `nhacviec run` wires them, minus the clock."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy import Engine

from bot.inbox import Inbox
from bot.server import WebServer
from bot.transports.base import Transport
from handlers.core import Core


@dataclass
class Running:
    inbox: Inbox
    server: WebServer

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"


@contextlib.asynccontextmanager
async def running(engine: Engine, core: Core, transports: dict[str, Transport]
                  ) -> AsyncIterator[Running]:
    inbox = Inbox(engine, core, transports)
    server = WebServer("127.0.0.1", 0, [t.routes() for t in transports.values()])
    await server.start()
    inbox.start()
    started: list[Transport] = []
    try:
        for transport in transports.values():
            await transport.start(inbox.receive)
            started.append(transport)
        yield Running(inbox, server)
    finally:
        for transport in started:
            await transport.stop()
        await inbox.stop()
        await server.stop()
