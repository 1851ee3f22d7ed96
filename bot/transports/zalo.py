"""Zalo Bot Platform (the Telegram-like bot API): a small typed client on httpx, and the
transport that translates its updates and sends.

Envelope: {"ok": true, "result": …} or {"ok": false, "error_code": N, "description": "…"};
an HTTP 200 does not mean success. No buttons; text at most 2000 characters.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bot.batcher import Batcher
from bot.transports.base import RetryLater, Undeliverable
from handlers.core import Core
from handlers.messages import Incoming, Outgoing, split_text

log = logging.getLogger(__name__)
DEFAULT_API = "https://bot-api.zaloplatforms.com/bot"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
NO_FILES = ("Zalo chưa cho phép bot gửi tệp. Thầy/cô vui lòng mở báo cáo trên Telegram hoặc "
            "nhờ chuyên viên xuất tệp bằng lệnh “nhacviec report”.")
FILE_LINK = "Tải tệp (liên kết có hạn, vui lòng không chuyển cho người khác):"
UNSUPPORTED = ("Hệ thống chỉ đọc được tin nhắn chữ. Thầy/cô vui lòng trả lời bằng chữ, ví dụ "
               "“xong 1.1”.")


class ZaloError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(f"{code}: {description}")
        self.code, self.description = code, description


@dataclass(frozen=True)
class ZaloUpdate:
    event: str
    chat_id: str
    user_id: str
    name: str
    text: str
    message_id: str
    photo: str = ""


class ZaloClient:
    """getMe, getUpdates, setWebhook, deleteWebhook, getWebhookInfo, sendMessage, sendPhoto."""

    def __init__(self, token: str, api_url: str = DEFAULT_API, timeout: float = 40.0,
                 http: httpx.AsyncClient | None = None) -> None:
        self._base = f"{api_url.rstrip('/')}{token}/" if api_url.endswith("bot") else \
            f"{api_url.rstrip('/')}/bot{token}/"
        self._http = http or httpx.AsyncClient(timeout=timeout)

    async def call(self, method: str, **params: Any) -> Any:
        try:
            response = await self._http.post(self._base + method, json=params)
        except httpx.TimeoutException as err:
            raise ZaloError(408, "timeout") from err
        except httpx.TransportError as err:
            raise ZaloError(503, f"không kết nối được ({type(err).__name__})") from err
        try:
            body = response.json()
        except ValueError as err:
            raise ZaloError(response.status_code, "câu trả lời không phải JSON") from err
        if isinstance(body, dict) and "ok" not in body and "event_name" in body:
            return body  # an update sent bare, without the {ok, result} wrapper
        if not isinstance(body, dict) or not body.get("ok"):
            body = body if isinstance(body, dict) else {}
            code = int(body.get("error_code") or response.status_code or 500)
            raise ZaloError(code, str(body.get("description", "")))
        return body.get("result")

    async def get_me(self) -> dict[str, Any]:
        return await self.call("getMe")

    async def get_updates(self, timeout: int = 30) -> list[ZaloUpdate]:
        try:
            result = await self.call("getUpdates", timeout=str(timeout))
        except ZaloError as err:
            if err.code == 408:  # nothing arrived
                return []
            raise
        return parse_updates(result)

    async def set_webhook(self, url: str, secret_token: str) -> Any:
        return await self.call("setWebhook", url=url, secret_token=secret_token)

    async def delete_webhook(self) -> Any:
        return await self.call("deleteWebhook")

    async def get_webhook_info(self) -> Any:
        return await self.call("getWebhookInfo")

    async def send_message(self, chat_id: str, text: str) -> str:
        result = await self.call("sendMessage", chat_id=chat_id, text=text)
        return str((result or {}).get("message_id", ""))

    async def send_photo(self, chat_id: str, photo_url: str, caption: str = "") -> str:
        result = await self.call("sendPhoto", chat_id=chat_id, photo=photo_url, caption=caption)
        return str((result or {}).get("message_id", ""))

    async def close(self) -> None:
        await self._http.aclose()


def parse_updates(data: Any) -> list[ZaloUpdate]:
    """One update or a list, with or without the {ok, result} wrapper."""
    if isinstance(data, dict) and "result" in data and "event_name" not in data:
        data = data["result"]
    items = data if isinstance(data, list) else [data] if data else []
    out = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("message"), dict):
            continue
        m = item["message"]
        sender = m.get("from") or {}
        chat = m.get("chat") or {}
        out.append(ZaloUpdate(
            event=str(item.get("event_name", "")),
            chat_id=str(chat.get("id") or sender.get("id") or ""),
            user_id=str(sender.get("id") or ""),
            name=str(sender.get("display_name") or sender.get("first_name") or ""),
            text=str(m.get("text") or m.get("caption") or ""),
            message_id=str(m.get("message_id") or ""),
            photo=str(m.get("photo") or ""),
        ))
    return [u for u in out if u.chat_id]


def secret_ok(expected: str, received: str | None) -> bool:
    return bool(expected) and received is not None and hmac.compare_digest(expected, received)


class ZaloTransport:
    channel = "zalo"
    limit = 2000
    has_buttons = False
    rate = 10.0
    per_chat_interval = 1.0

    def __init__(self, client: ZaloClient, core: Core,
                 file_link: Callable[[Path], str] | None = None) -> None:
        """*file_link*: a signed web link to a report file (Zalo bots cannot send files);
        without one, a sentence says how to get the file instead."""
        self.client = client
        self.core = core
        self.file_link = file_link
        self.batcher = Batcher(core)
        self._task: asyncio.Task[None] | None = None

    async def handle_update(self, update: ZaloUpdate) -> None:
        if update.event.endswith("sticker.received") or update.event.endswith(
                "unsupported.received"):
            await self._safe_send(update.chat_id, Outgoing(UNSUPPORTED))
            return
        msg = Incoming("zalo", update.chat_id, update.text, file=update.photo,
                       display_name=update.name)
        for out in await self.batcher.handle(msg):
            await self._safe_send(update.chat_id, out)

    async def _safe_send(self, chat_id: str, out: Outgoing) -> None:
        try:
            await self.send(chat_id, out)
        except (RetryLater, Undeliverable) as err:
            log.warning("Zalo reply not sent: %s", err)

    async def send(self, chat_id: str, message: Outgoing) -> str:
        text = message.text
        if message.file is not None and self.file_link is not None:
            url = await asyncio.to_thread(self.file_link, message.file)
            text = f"{text}\n{FILE_LINK} {url}"
        elif message.file is not None:
            text = f"{text}\n{NO_FILES}"
        links = [f"{b.label}: {b.url}" for row in message.buttons for b in row if b.url]
        text = "\n".join([text, *links])
        sent = ""
        try:
            for piece in split_text(text, self.limit):
                sent = await self.client.send_message(chat_id, piece)
        except ZaloError as err:
            if err.code in (403, 404):
                raise Undeliverable(str(err)) from err
            raise RetryLater(str(err), 60.0 if err.code == 429 else None) from err
        return sent

    async def poll_forever(self, backoff: float = 5.0) -> None:
        while True:
            try:
                for update in await self.client.get_updates():
                    await self.handle_update(update)
            except asyncio.CancelledError:
                raise
            except ZaloError as err:
                log.warning("Zalo getUpdates: %s", err.code)
                await asyncio.sleep(backoff)
            except Exception:  # never let one bad update stop the channel
                log.exception("Zalo update failed")
                await asyncio.sleep(backoff)

    async def start(self) -> None:
        self._task = asyncio.create_task(self.poll_forever())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.client.close()
