"""A fake Telegram Bot API server on loopback, speaking the real JSON, for end-to-end
tests of the real python-telegram-bot Application (and its faults: 429, 5xx, 403)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.loopback import serve

BOT = {"id": 777000, "is_bot": True, "first_name": "Nhắc việc", "username": "nhacviec_bot",
       "can_join_groups": False, "can_read_all_group_messages": False,
       "supports_inline_queries": False}


@dataclass
class FakeTelegram:
    token: str = "123456:TEST-token"
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # answered ok
    refused: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # answered error
    updates: list[dict[str, Any]] = field(default_factory=list)
    faults: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    rate_limit: float = 0.0  # messages/s allowed for sendMessage; 0 = unlimited
    delay: float = 0.0  # seconds before answering sendMessage (timeouts)
    rate_limited: int = 0  # how many 429s the rate limit gave
    in_flight: int = 0  # sendMessage requests received and not yet answered
    senders: dict[str, int] = field(default_factory=dict)  # User-Agent → messages delivered
    answered_at: list[float] = field(default_factory=list)  # monotonic time of each delivery
    polls: int = 0  # getUpdates calls
    files: dict[str, bytes] = field(default_factory=dict)  # file_id → content (getFile)
    next_update: int = 1
    next_message: int = 100
    _sent_times: list[float] = field(default_factory=list)
    _event: asyncio.Event = field(default_factory=asyncio.Event)
    runner: web.AppRunner | None = None
    port: int = 0

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> FakeTelegram:
        app = web.Application(client_max_size=50 * 2**20)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        app.router.add_get("/stats", self._stats)
        self.runner, self.port = await serve(app)
        return self

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    # -- test helpers --------------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> None:
        update = {"update_id": self.next_update, **update}
        self.next_update += 1
        self.updates.append(update)
        self._event.set()

    def message(self, chat_id: int, text: str = "", reply_to: int | None = None,
                document: str | None = None, file_name: str = "minh-chung.pdf",
                content: bytes | None = None) -> None:
        """*content*: the document's bytes, which the bot may then fetch (getFile)."""
        msg: dict[str, Any] = {"message_id": self._message_id(), "date": int(time.time()),
                               "chat": {"id": chat_id, "type": "private"},
                               "from": {"id": chat_id, "is_bot": False, "first_name": "Cô",
                                        "last_name": "Nga"}}
        if text:
            msg["text" if document is None else "caption"] = text
            if text.startswith("/"):
                msg["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": len(text.split()[0])}]
        if reply_to is not None:
            msg["reply_to_message"] = {"message_id": reply_to, "date": int(time.time()),
                                       "chat": {"id": chat_id, "type": "private"},
                                       "text": "…"}
        if document is not None:
            msg["document"] = {"file_id": document, "file_unique_id": document + "u",
                               "file_name": file_name}
            if content is not None:
                self.files[document] = content
                msg["document"]["file_size"] = len(content)
        self.push({"message": msg})

    def press(self, chat_id: int, message_id: int, data: str, text: str = "…") -> None:
        self.push({"callback_query": {
            "id": str(self._message_id()), "chat_instance": "ci", "data": data,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Cô"},
            "message": {"message_id": message_id, "date": int(time.time()),
                        "chat": {"id": chat_id, "type": "private"}, "text": text}}})

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        return [p for m, p in self.calls if m == method]

    def fail(self, method: str, status: int, description: str, times: int = 1,
             retry_after: int | None = None) -> None:
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        self.faults.setdefault(method, []).extend([(status, body)] * times)

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0
                       ) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.sent(method)) >= count:
                return self.sent(method)
            await asyncio.sleep(0.01)
        raise AssertionError(f"{method} called {len(self.sent(method))} times, wanted {count}")

    async def _download(self, request: web.Request) -> web.Response:
        file_id = request.match_info["path"].removeprefix("documents/")
        if request.match_info["token"] != self.token or file_id not in self.files:
            return web.Response(status=404)
        return web.Response(body=self.files[file_id])

    async def _stats(self, _request: web.Request) -> web.Response:
        return web.json_response({"sent": len(self.sent()), "rate_limited": self.rate_limited})

    # -- the API -------------------------------------------------------------------------

    def _message_id(self) -> int:
        self.next_message += 1
        return self.next_message

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.content_type == "multipart/form-data":
            reader = await request.multipart()
            async for part in reader:  # type: ignore[union-attr]
                if part.filename:
                    params[part.name] = {"filename": part.filename,
                                         "size": len(await part.read())}
                else:
                    params[part.name] = await part.text()
        elif request.can_read_body:
            params.update(dict(await request.post()))
        for key in ("reply_markup", "commands"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401,
                                      "description": "Unauthorized"}, status=401)
        params = await self._params(request)
        if method == "sendMessage":
            self.in_flight += 1
            try:
                return await self._answer(request, method, params)
            finally:
                self.in_flight -= 1
        return await self._answer(request, method, params)

    async def _answer(self, request: web.Request, method: str, params: dict[str, Any]
                      ) -> web.Response:
        if method == "sendMessage" and self.delay:
            await asyncio.sleep(self.delay)
        queued = self.faults.get(method)
        if queued:
            status, body = queued.pop(0)
            self.refused.append((method, params))
            return web.json_response(body, status=status)
        if method == "sendMessage" and self.rate_limit:
            now = time.monotonic()
            self._sent_times = [t for t in self._sent_times if now - t < 1.0]
            if len(self._sent_times) >= self.rate_limit:
                self.refused.append((method, params))
                self.rate_limited += 1
                return web.json_response({"ok": False, "error_code": 429,
                                          "description": "Too Many Requests: retry after 1",
                                          "parameters": {"retry_after": 1}}, status=429)
            self._sent_times.append(now)
        if method != "getUpdates":
            self.calls.append((method, params))  # answered with ok: delivered
        if method == "sendMessage":
            agent = request.headers.get("User-Agent", "")
            self.senders[agent] = self.senders.get(agent, 0) + 1
            self.answered_at.append(time.monotonic())
        result = await self._result(method, params)
        return web.json_response({"ok": True, "result": result})

    async def _result(self, method: str, p: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT
        if method == "getUpdates":
            self.polls += 1
            offset = int(p.get("offset") or 0)
            timeout = min(float(p.get("timeout") or 0), 0.5)
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            if not self.updates and timeout:
                self._event.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._event.wait(), timeout)
            return self.updates[:100]
        chat = {"id": int(p.get("chat_id", 0)), "type": "private"}
        base = {"date": int(time.time()), "chat": chat}
        if method in ("sendMessage", "editMessageText"):
            mid = int(p.get("message_id") or 0) or self._message_id()
            out = {"message_id": mid, **base, "text": p.get("text", "")}
            if p.get("reply_markup"):
                out["reply_markup"] = p["reply_markup"]
            return out
        if method == "getFile":
            file_id = str(p.get("file_id", ""))
            return {"file_id": file_id, "file_unique_id": file_id + "u",
                    "file_size": len(self.files.get(file_id, b"")),
                    "file_path": f"documents/{file_id}"}
        if method == "sendDocument":
            doc = p.get("document") or {}
            return {"message_id": self._message_id(), **base,
                    "document": {"file_id": "doc1", "file_unique_id": "u1",
                                 "file_name": doc.get("filename", "")}}
        return True


async def _serve(rate_limit: float) -> None:
    fake = await FakeTelegram(rate_limit=rate_limit).start()
    print(fake.port, flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":  # a fake server in its own process, for benchmarks
    import sys

    asyncio.run(_serve(float(sys.argv[1]) if len(sys.argv) > 1 else 0.0))
