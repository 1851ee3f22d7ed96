"""A fake Zalo Bot Platform API on loopback: the {ok, result} envelope, 408 on an empty
getUpdates, error codes with HTTP 200, and a rate limit that answers 429."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.loopback import serve


@dataclass
class FakeZalo:
    token: str = "12345689:abc-xyz"
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # answered ok
    refused: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    inbox: list[dict[str, Any]] = field(default_factory=list)
    faults: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    wrap: bool = True
    next_message: int = 1
    runner: web.AppRunner | None = None
    port: int = 0
    _event: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> FakeZalo:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self.runner, self.port = await serve(app)
        return self

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    def text(self, user: str, text: str, event: str = "message.text.received") -> None:
        self.inbox.append({"event_name": event, "message": {
            "from": {"id": user, "display_name": "Thầy Bình", "is_bot": False},
            "chat": {"id": user, "chat_type": "PRIVATE"}, "text": text,
            "message_id": f"z{self._next_id()}", "date": int(time.time() * 1000)}})
        self._event.set()

    def _next_id(self) -> int:
        self.next_message += 1
        return self.next_message

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        return [p for m, p in self.calls if m == method]

    def fail(self, method: str, code: int, description: str, times: int = 1) -> None:
        self.faults.setdefault(method, []).extend(
            [{"ok": False, "error_code": code, "description": description}] * times)

    async def wait_for(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.sent()) >= count:
                return self.sent()
            await asyncio.sleep(0.01)
        raise AssertionError(f"sendMessage called {len(self.sent())} times, wanted {count}")

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401,
                                      "description": "Unauthorized"})
        method = request.match_info["method"]
        params = await request.json() if request.can_read_body else {}
        if self.faults.get(method):
            self.refused.append((method, params))
            return web.json_response(self.faults[method].pop(0))
        if method not in ("getUpdates", "sendMessage", "sendPhoto"):
            self.calls.append((method, params))
        if method == "getMe":
            return self._ok({"id": "b1", "account_name": "nhacviec", "account_type": "BASIC",
                             "can_join_groups": False})
        if method == "getUpdates":
            if not self.inbox:
                self._event.clear()
                try:
                    await asyncio.wait_for(self._event.wait(), 0.3)
                except TimeoutError:
                    return web.json_response({"ok": False, "error_code": 408,
                                              "description": "Request timeout"})
            update = self.inbox.pop(0)
            return self._ok(update) if self.wrap else web.json_response(update)
        if method in ("sendMessage", "sendPhoto"):
            text = params.get("text", "")
            if method == "sendMessage" and not 1 <= len(text) <= 2000:
                return web.json_response({"ok": False, "error_code": 400,
                                          "description": "text must be 1-2000 characters"})
            self.next_message += 1
            self.calls.append((method, params))
            return self._ok({"message_id": f"m{self.next_message}",
                             "date": int(time.time() * 1000)})
        return self._ok(True)

    @staticmethod
    def _ok(result: Any) -> web.Response:
        return web.json_response({"ok": True, "result": result})
