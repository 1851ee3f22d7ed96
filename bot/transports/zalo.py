"""Zalo Bot Platform (the Telegram-like bot API): a small typed client on aiohttp, and the
transport that translates its updates and sends.

Envelope: {"ok": true, "result": …} or {"ok": false, "error_code": N, "description": "…"};
an HTTP 200 does not mean success. No buttons, no files; text at most 2000 characters.
getUpdates has no offset: updates are kept in memory until the inbox has stored them,
while polling goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from bot.server import read_capped, refuse
from bot.transports.base import (
    Limits,
    Reason,
    Receive,
    Received,
    RetryLater,
    StartFailed,
    Undeliverable,
    clean,
    connect_with_backoff,
    secret_ok,
    store_until_stored,
)
from handlers.messages import Incoming, Outgoing, split_text

log = logging.getLogger(__name__)
DEFAULT_API = "https://bot-api.zaloplatforms.com/bot"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
PATH = "/zalo"
RETRY_AFTER_429 = 10.0  # Zalo publishes no rate limit and sends no retry_after


class ZaloError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(f"{code}: {description}")
        self.code, self.description = code, description


class ZaloUnreachable(Exception):
    """The API did not answer (start-up retries with back-off)."""


@dataclass(frozen=True)
class ZaloUpdate:
    event: str
    chat_id: str
    user_id: str
    name: str
    text: str
    message_id: str
    photo: str = ""
    private: bool = True
    digest: str = ""  # identifies an update without a message id


CONNECTIONS = 100  # kept open between sends (no new TLS handshake per message)


class ZaloClient:
    """getMe, getUpdates, setWebhook, deleteWebhook, sendMessage — on aiohttp, as the
    Telegram transport's requests (httpx took half the event loop's time per answer)."""

    def __init__(self, token: str, api_url: str = DEFAULT_API, timeout: float = 10.0
                 ) -> None:
        self._base = f"{api_url.rstrip('/')}{token}/" if api_url.endswith("bot") else \
            f"{api_url.rstrip('/')}/bot{token}/"
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    def _http(self) -> aiohttp.ClientSession:
        """Made on first use, inside the running event loop."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=self._timeout, connector=aiohttp.TCPConnector(limit=CONNECTIONS))
        return self._session

    async def call(self, method: str, wait: float | None = None, **params: Any) -> Any:
        """*wait*: seconds to wait for the answer, when not the client's default."""
        extra: dict[str, Any] = {} if wait is None else {
            "timeout": aiohttp.ClientTimeout(total=wait)}
        try:
            async with self._http().post(self._base + method, json=params, **extra) as response:
                status, raw = response.status, await response.read()
        except TimeoutError as err:
            raise ZaloError(408, "timeout") from err
        except aiohttp.ClientError as err:
            raise ZaloError(503, type(err).__name__) from err
        try:
            body = json.loads(raw)
        except ValueError as err:
            raise ZaloError(status, "not JSON") from err
        if isinstance(body, dict) and "ok" not in body and "event_name" in body:
            return body  # an update sent bare, without the {ok, result} wrapper
        if not isinstance(body, dict) or not body.get("ok"):
            body = body if isinstance(body, dict) else {}
            try:
                code = int(body.get("error_code") or status or 500)
            except (TypeError, ValueError):
                code = 500
            raise ZaloError(code, str(body.get("description", ""))[:200])
        return body.get("result")

    async def get_me(self) -> dict[str, Any]:
        result = await self.call("getMe")
        return result if isinstance(result, dict) else {}

    async def get_updates(self, timeout: int = 30) -> list[ZaloUpdate]:
        try:
            result = await self.call("getUpdates", wait=timeout + 10.0, timeout=str(timeout))
        except ZaloError as err:
            if err.code == 408:  # nothing arrived
                return []
            raise
        return parse_updates(result)

    async def set_webhook(self, url: str, secret_token: str) -> Any:
        return await self.call("setWebhook", url=url, secret_token=secret_token)

    async def delete_webhook(self) -> Any:
        return await self.call("deleteWebhook")

    async def send_message(self, chat_id: str, text: str) -> str:
        result = await self.call("sendMessage", chat_id=chat_id, text=text)
        return str((result or {}).get("message_id", "")) if isinstance(result, dict) else ""

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


def _text(value: Any) -> str:
    return clean(value) if isinstance(value, str) else clean(str(value)) if isinstance(
        value, int | float) else ""


def parse_updates(data: Any) -> list[ZaloUpdate]:
    """One update or a list, with or without the {ok, result} wrapper; anything malformed
    is skipped."""
    if isinstance(data, dict) and "result" in data and "event_name" not in data:
        data = data["result"]
    items = data if isinstance(data, list) else [data] if data else []
    out = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("message"), dict):
            continue
        m = item["message"]
        sender = m.get("from") if isinstance(m.get("from"), dict) else {}
        chat = m.get("chat") if isinstance(m.get("chat"), dict) else {}
        user_id = _text(sender.get("id"))
        chat_id = _text(chat.get("id")) or user_id
        kind = _text(chat.get("chat_type")).upper()
        out.append(ZaloUpdate(
            event=_text(item.get("event_name")),
            chat_id=chat_id,
            user_id=user_id,
            name=_text(sender.get("display_name") or sender.get("first_name")),
            text=_text(m.get("text") or m.get("caption")),
            message_id=_text(m.get("message_id")),
            photo=_text(m.get("photo")),
            private=kind == "PRIVATE" if kind else chat_id == user_id,
            digest=hashlib.sha256(json.dumps(item, sort_keys=True, default=str)
                                  .encode()).hexdigest()[:32],
        ))
    return [u for u in out if u.chat_id and u.user_id]


def received(update: ZaloUpdate) -> Received:
    unsupported = update.event.endswith(("sticker.received", "unsupported.received"))
    return Received(update.message_id or update.digest, Incoming(
        "zalo", update.chat_id, "" if unsupported else update.text,
        file="" if unsupported else update.photo, display_name=update.name,
        user_id=update.user_id, private=update.private,
        unsupported=unsupported or not (update.text or update.photo)))


class ZaloTransport:
    channel = "zalo"
    limits = Limits(text=2000, buttons=False, files=False, rate=10.0, per_chat_interval=1.0)

    def __init__(self, client: ZaloClient, *, webhook_url: str = "", secret: str = "") -> None:
        self.client = client
        self.webhook_url = webhook_url.rstrip("/")
        self.secret = secret
        self._receive: Receive | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._buffer: list[Received] = []
        self._buffered = asyncio.Event()

    # -- receiving -----------------------------------------------------------------------

    def routes(self) -> list[web.RouteDef]:
        return [web.post(PATH, self._webhook)] if self.webhook_url else []

    async def _webhook(self, request: web.Request) -> web.Response:
        if not secret_ok(self.secret, request.headers.get(SECRET_HEADER)):
            return refuse(403)  # before a byte of the body is read
        body = await read_capped(request)
        if body is None:
            return refuse(413)
        try:
            updates = parse_updates(json.loads(body))
        except ValueError:
            return web.json_response({"ok": False}, status=400)
        if updates and self._receive is not None:
            try:
                await self._receive(self.channel, [received(u) for u in updates])
            except Exception as err:  # not stored: let Zalo send it again
                log.warning("Zalo update not stored yet (%s)", type(err).__name__)
                return web.json_response({"ok": False}, status=503)
        return web.json_response({"ok": True})

    async def _poll(self, backoff: float = 5.0) -> None:
        while True:
            try:
                updates = await self.client.get_updates()
            except asyncio.CancelledError:
                raise
            except Exception as err:  # the network, Zalo, a garbled answer: go on
                log.warning("Zalo getUpdates: %s", getattr(err, "code", type(err).__name__))
                await asyncio.sleep(backoff)
                continue
            if updates:
                self._buffer.extend(received(u) for u in updates)
                self._buffered.set()

    async def _store(self) -> None:
        assert self._receive is not None
        while True:
            await self._buffered.wait()
            self._buffered.clear()
            items, self._buffer = self._buffer, []
            if items:
                await store_until_stored(self._receive, self.channel, items)

    # -- answering and sending -----------------------------------------------------------

    async def answer(self, received: Received, answers: list[Outgoing]) -> None:
        for out in answers:
            await self.send(out.chat_id or received.message.chat_id, out)

    async def send(self, chat_id: str, message: Outgoing) -> str:
        sent = ""
        try:
            for piece in split_text(message.text, self.limits.text):
                sent = await self.client.send_message(chat_id, piece)
        except ZaloError as err:
            if err.code == 403:
                raise Undeliverable(Reason.BLOCKED, "403") from err
            if err.code == 404:
                raise Undeliverable(Reason.NO_CHAT, "404") from err
            raise RetryLater(str(err.code), RETRY_AFTER_429 if err.code == 429 else None,
                             timeout=err.code == 408) from err
        return sent

    # -- life cycle ----------------------------------------------------------------------

    async def start(self, receive: Receive) -> None:
        self._receive = receive
        await connect_with_backoff(self._connect, "Zalo", transient=(ZaloUnreachable,))
        if self.webhook_url:
            await self.client.set_webhook(self.webhook_url + PATH, self.secret)
            return
        with contextlib.suppress(ZaloError):  # polling and a webhook exclude each other
            await self.client.delete_webhook()
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._poll()), loop.create_task(self._store())]

    async def _connect(self) -> None:
        try:
            await self.client.get_me()
        except ZaloError as err:
            if err.code == 401:
                raise StartFailed("token_rejected") from err
            raise ZaloUnreachable(str(err.code)) from err

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.client.close()
