"""Telegram through python-telegram-bot's `Bot`: updates become `Received`, `Outgoing`
become messages, inline buttons and documents. Nothing here decides what to say.

Receiving is ours, not PTB's `Updater`, because an update must be stored before Telegram
is told it arrived: polling advances the offset only after the inbox has stored the batch,
and the webhook (a route on the service's one web server) answers 200 only then. The
webhook checks the secret header before it reads the body, and reads at most `MAX_BODY`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import shutil
import warnings
from dataclasses import replace
from datetime import timedelta
from functools import lru_cache

from aiohttp import web
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonWebApp,
    Message,
    Update,
    WebAppInfo,
)
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import BaseRequest

from bot.server import read_capped, refuse
from bot.transports.aiohttp_request import AiohttpRequest
from bot.transports.base import (
    Downloads,
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
from handlers import texts
from handlers.messages import Action, Button, Incoming, Outgoing, split_text

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MENU_LABEL = "Bảng theo dõi"
PATH = "/telegram"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
COMMAND_TO = re.compile(r"^(/\w+)@(\w+)")


def _button(b: Button, group: bool) -> InlineKeyboardButton:
    """A data button; or one that opens a page: as a Mini App in a private chat over HTTPS
    (Telegram allows no other), else as a plain link."""
    if not b.url:
        return InlineKeyboardButton(b.label, callback_data=b.data)
    if b.url.startswith("https://") and not group:
        return InlineKeyboardButton(b.label, web_app=WebAppInfo(b.url))
    return InlineKeyboardButton(b.label, url=b.url)


def keyboard(message: Outgoing, chat_id: int | str = "") -> InlineKeyboardMarkup | None:
    if not message.buttons:
        return None
    return _markup(message.buttons, str(chat_id).startswith("-"))


@lru_cache(maxsize=512)
def _markup(buttons: tuple[tuple[Button, ...], ...], group: bool) -> InlineKeyboardMarkup:
    """Built once per set of buttons (most answers carry the same "Hoàn tác"); PTB's
    objects are immutable, so one can go with any number of messages."""
    return InlineKeyboardMarkup([[_button(b, group) for b in row] for row in buttons])


def addressed(text: str, username: str) -> str | None:
    """'/baocao@nhacviec_bot 1.2' → '/baocao 1.2'; None when the command names another bot
    (in a group with several bots)."""
    found = COMMAND_TO.match(text)
    if found is None:
        return text
    if username and found.group(2).lower() != username.lower():
        return None
    return found.group(1) + text[found.end():]


def received(update: Update, username: str = "") -> Received | None:
    """The channel-neutral view of a Telegram update (None: nothing for the core)."""
    uid = str(update.update_id)
    if update.callback_query is not None:
        q = update.callback_query
        chat = q.message.chat if q.message is not None else None
        context: dict[str, object] = {"callback_id": q.id}
        if isinstance(q.message, Message):
            context |= {"message_id": q.message.message_id,
                        "message_text": q.message.text or ""}
        return Received(uid, Incoming(
            "telegram", str(chat.id if chat else q.from_user.id), callback=clean(q.data or ""),
            action=Action.decode(q.data or ""),
            user_id=str(q.from_user.id), private=chat is None or chat.type == "private",
            display_name=clean(q.from_user.full_name)), context)
    message = update.message or update.edited_message
    if message is None or message.from_user is None or message.from_user.is_bot:
        return None
    file, file_name, file_size = "", "", 0
    if message.document is not None:
        file = f"telegram:{message.document.file_id}"
        file_name = clean(message.document.file_name or "")
        file_size = message.document.file_size or 0
    elif message.photo:
        file = f"telegram:{message.photo[-1].file_id}"
    text = addressed(clean(message.text or message.caption or ""), username)
    if text is None:
        return None
    reply_to = str(message.reply_to_message.message_id) if message.reply_to_message else ""
    return Received(uid, Incoming(
        "telegram", str(message.chat.id), text, file=file, file_name=file_name,
        file_size=file_size, reply_to=reply_to,
        display_name=clean(message.from_user.full_name), user_id=str(message.from_user.id),
        private=message.chat.type == "private", unsupported=not text and not file))


def _retry_seconds(err: RetryAfter) -> float:
    with warnings.catch_warnings():  # int today, timedelta in a later PTB: accept both
        warnings.simplefilter("ignore")
        value = err.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramTransport:
    channel = "telegram"
    # Telegram allows about 30/s overall (keep a margin) and about 1/s to one chat
    limits = Limits(text=4096, buttons=True, files=True, rate=29.0, per_chat_interval=1.0)

    def __init__(self, token: str, *, api_url: str = "https://api.telegram.org/bot",
                 webhook_url: str = "", secret: str = "", username: str = "",
                 web_url: str = "",
                 request_timeout: float = 10.0, poll_timeout: int = 20,
                 request: BaseRequest | None = None,
                 downloads: Downloads | None = None) -> None:
        """*request*: PTB's networking (an offline one for benchmarks and tests);
        *web_url*: the web view's address, which the chats' menu button opens (HTTPS);
        *downloads*: documents to fetch before handing a message on (none if None)."""
        file_url = api_url[:-3] + "file/bot" if api_url.endswith("/bot") else api_url
        self.bot = Bot(token, base_url=api_url, base_file_url=file_url,
                       request=request or AiohttpRequest(32, read_timeout=request_timeout),
                       get_updates_request=request or AiohttpRequest(
                           1, read_timeout=request_timeout + poll_timeout))
        self.webhook_url = webhook_url.rstrip("/")
        self.secret = secret
        self.username = username.lstrip("@")
        self.web_url = web_url.rstrip("/")
        self.poll_timeout = poll_timeout
        self.downloads = downloads
        self._receive: Receive | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._offset = 0
        self._pending: dict[int, Received | None] = {}  # fetched, not yet stored
        self._arrived = asyncio.Event()
        self._stored = asyncio.Event()  # a batch was stored (and acknowledged)

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
            item = received(Update.de_json(json.loads(body), self.bot), self.username)
        except Exception:  # not an update: nothing to store
            return web.json_response({"ok": False}, status=400)
        item = await self._fetch(item)
        if item is not None and self._receive is not None:
            try:
                await self._receive(self.channel, [item])
            except Exception as err:  # not stored: Telegram sends it again later
                log.warning("Telegram update not stored yet (%s)", type(err).__name__)
                return web.json_response({"ok": False}, status=503)
        return web.json_response({"ok": True})

    async def _poll(self) -> None:
        """Fetch updates; Telegram forgets them only when asked with a higher offset, and
        that happens only once the inbox has stored them. While the database is busy,
        polling goes on (new updates are kept in memory, none acknowledged)."""
        delay = 1.0
        while True:
            try:
                updates = await self.bot.get_updates(
                    offset=self._offset, timeout=0 if self._pending else self.poll_timeout,
                    allowed_updates=ALLOWED_UPDATES)
            except asyncio.CancelledError:
                raise
            except Exception as err:  # the network, Telegram, a garbled answer: go on
                log.warning("Telegram getUpdates: %s", type(err).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            delay = 1.0
            fresh = [u for u in updates if u.update_id not in self._pending]
            for u in fresh:
                self._pending[u.update_id] = await self._fetch(received(u, self.username))
            if fresh:
                self._arrived.set()
            if self._pending:  # waiting for the inbox: ask again once it has stored them,
                self._stored.clear()  # or after a second (database busy), never in a tight loop
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stored.wait(), 1.0)

    async def _store(self) -> None:
        assert self._receive is not None
        while True:
            await self._arrived.wait()
            self._arrived.clear()
            batch = dict(sorted(self._pending.items()))
            if not batch:
                continue
            await store_until_stored(self._receive, self.channel,
                                     [r for r in batch.values() if r is not None])
            self._offset = max(self._offset, max(batch) + 1)  # only now: Telegram forgets
            for update_id in batch:
                self._pending.pop(update_id, None)
            self._stored.set()
            if self._pending:
                self._arrived.set()

    async def _fetch(self, item: Received | None) -> Received | None:
        """The update with a local copy of its document, when `downloads` wants it and it
        is small enough; as it was otherwise (the core says what went wrong)."""
        message = item.message if item is not None else None
        wanted = self.downloads
        if item is None or message is None or wanted is None or not message.file_name \
                or not wanted.wants(message.file_name) or message.file_size > wanted.max_bytes:
            return item
        path = wanted.path_for(self.channel, item.update_id, message.file_name)
        try:
            found = await self.bot.get_file(message.file.removeprefix("telegram:"))
            if (found.file_size or 0) > wanted.max_bytes:
                return replace(item, message=replace(message, file_size=found.file_size or 0))
            path.parent.mkdir(parents=True, exist_ok=True)
            await found.download_to_drive(path)
            size = path.stat().st_size
        except (TelegramError, OSError) as err:  # not fetched: the core asks to send again
            log.warning("Telegram document not fetched: %s", type(err).__name__)
            shutil.rmtree(path.parent, ignore_errors=True)
            return item
        if size > wanted.max_bytes:
            shutil.rmtree(path.parent, ignore_errors=True)
            return replace(item, message=replace(message, file_size=size))
        return replace(item, message=replace(message, file_path=str(path), file_size=size))

    # -- answering and sending -----------------------------------------------------------

    async def answer(self, received: Received, answers: list[Outgoing]) -> None:
        chat_id = received.message.chat_id
        context = received.context
        if context.get("callback_id"):
            with contextlib.suppress(TelegramError):  # a query answered too late expires
                await self.bot.answer_callback_query(
                    str(context["callback_id"]), text=answers[0].text[:190] if answers else None)
            if answers and context.get("message_text") and context.get("message_id"):
                # show the new state in the reminder itself; the rest goes as new messages
                first, answers = answers[0], answers[1:]
                text = f"{context['message_text']}\n\n{first.text}"
                try:
                    await self.bot.edit_message_text(
                        split_text(text, self.limits.text)[0], chat_id=chat_id,
                        message_id=int(context["message_id"]),
                        reply_markup=keyboard(first, chat_id))
                except BadRequest:
                    answers = [first, *answers]
        for out in answers:
            await self.send(out.chat_id or chat_id, out)

    async def _deliver(self, chat_id: str, out: Outgoing) -> str:
        if out.file is not None:
            with open(out.file, "rb") as f:
                sent = await self.bot.send_document(chat_id, f, filename=out.file.name,
                                                    caption=out.text[:1024])
            return str(sent.message_id)
        pieces = split_text(out.text, self.limits.text)
        sent_id = ""
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            markup = keyboard(out, chat_id) if last else None
            message = await self.bot.send_message(chat_id, piece, reply_markup=markup)
            sent_id = str(message.message_id)
        return sent_id

    async def send(self, chat_id: str, message: Outgoing) -> str:
        """Telegram's failures mapped to neutral facts: retry later, or never."""
        try:
            return await self._deliver(chat_id, message)
        except RetryAfter as err:
            raise RetryLater("429", _retry_seconds(err)) from err
        except Forbidden as err:
            raise Undeliverable(Reason.BLOCKED, "403") from err
        except BadRequest as err:
            if "chat not found" in err.message.lower():
                raise Undeliverable(Reason.NO_CHAT, "400") from err
            raise RetryLater(f"400: {err.message}") from err
        except TimedOut as err:
            raise RetryLater("timeout", timeout=True) from err
        except NetworkError as err:
            raise RetryLater(f"network: {type(err).__name__}") from err
        except TelegramError as err:
            raise RetryLater(type(err).__name__) from err

    # -- life cycle ----------------------------------------------------------------------

    async def start(self, receive: Receive) -> None:
        self._receive = receive
        await connect_with_backoff(self._connect, "Telegram", transient=(NetworkError,))
        if self.webhook_url:
            await self.bot.set_webhook(self.webhook_url + PATH, secret_token=self.secret,
                                       allowed_updates=ALLOWED_UPDATES)
        else:
            await self.bot.delete_webhook()
            loop = asyncio.get_running_loop()
            self._tasks = [loop.create_task(self._poll()), loop.create_task(self._store())]

    async def _connect(self) -> None:
        try:
            await self.bot.initialize()  # getMe
        except InvalidToken as err:
            raise StartFailed("token_rejected") from err
        self.username = self.username or self.bot.username
        try:
            await self.bot.set_my_commands([BotCommand(c, d) for c, d in texts.BOT_COMMANDS])
        except TelegramError as err:  # an older local Bot API server: not fatal
            log.warning("setMyCommands not supported: %s", type(err).__name__)
        if self.web_url.startswith("https://"):
            try:
                await self.bot.set_chat_menu_button(menu_button=MenuButtonWebApp(
                    MENU_LABEL, WebAppInfo(self.web_url + "/tg")))
            except TelegramError as err:
                log.warning("setChatMenuButton failed: %s", type(err).__name__)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        with contextlib.suppress(Exception):
            await self.bot.shutdown()
