"""Telegram through python-telegram-bot: updates become `Incoming`, `Outgoing` become
messages, inline buttons and documents. Nothing here decides what to say."""

from __future__ import annotations

import logging
import warnings
from datetime import timedelta

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonWebApp,
    Message,
    Update,
    WebAppInfo,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.batcher import Batcher
from bot.transports.aiohttp_request import AiohttpRequest
from bot.transports.base import RetryLater, Undeliverable
from handlers.core import Core
from handlers.messages import Button, Incoming, Outgoing, split_text

log = logging.getLogger(__name__)

COMMANDS = [
    ("nhiemvu", "Nhiệm vụ của trường và hạn hoàn thành"),
    ("baocao", "Tổng hợp tiến độ (dành cho chuyên viên)"),
    ("giup", "Hướng dẫn trả lời tin nhắc"),
    ("hoantac", "Hủy lần ghi nhận vừa rồi"),
    ("lienket", "Xem tài khoản đã liên kết"),
    ("web", "Mở bảng theo dõi trên web"),
]
MENU_LABEL = "Bảng theo dõi"


def _button(b: Button, chat_id: int | str) -> InlineKeyboardButton:
    """A data button; or one that opens a page: as a Mini App in a private chat over HTTPS
    (Telegram allows no other), else as a plain link."""
    if not b.url:
        return InlineKeyboardButton(b.label, callback_data=b.data)
    if b.url.startswith("https://") and not str(chat_id).startswith("-"):
        return InlineKeyboardButton(b.label, web_app=WebAppInfo(b.url))
    return InlineKeyboardButton(b.label, url=b.url)


def keyboard(message: Outgoing, chat_id: int | str = "") -> InlineKeyboardMarkup | None:
    if not message.buttons:
        return None
    return InlineKeyboardMarkup([[_button(b, chat_id) for b in row]
                                 for row in message.buttons])


def incoming(update: Update) -> Incoming | None:
    """The channel-neutral view of a Telegram update (None: nothing for the core)."""
    if update.callback_query is not None:
        q = update.callback_query
        chat = q.message.chat.id if q.message else q.from_user.id
        return Incoming("telegram", str(chat), callback=q.data or "",
                        reply_to=str(q.message.message_id) if q.message else "",
                        display_name=q.from_user.full_name)
    message = update.effective_message
    if message is None or update.effective_chat is None:
        return None
    file = ""
    if message.document is not None:
        file = f"telegram:{message.document.file_id}"
    elif message.photo:
        file = f"telegram:{message.photo[-1].file_id}"
    text = message.text or message.caption or ""
    reply_to = str(message.reply_to_message.message_id) if message.reply_to_message else ""
    user = update.effective_user
    return Incoming("telegram", str(update.effective_chat.id), text, file=file,
                    reply_to=reply_to, display_name=user.full_name if user else "")


def _retry_seconds(err: RetryAfter) -> float:
    with warnings.catch_warnings():  # int today, timedelta in a later PTB: accept both
        warnings.simplefilter("ignore")
        value = err.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramTransport:
    channel = "telegram"
    limit = 4096
    has_buttons = True
    rate = 29.0  # Telegram allows about 30/s overall: keep a margin for clock jitter
    per_chat_interval = 1.0

    def __init__(self, token: str, core: Core, api_url: str = "https://api.telegram.org/bot",
                 request_timeout: float = 20.0, request: BaseRequest | None = None) -> None:
        """*request*: PTB's networking (an offline one for benchmarks and tests)."""
        self.core = core
        self.batcher = Batcher(core)
        file_url = api_url[:-3] + "file/bot" if api_url.endswith("/bot") else api_url
        self.app: Application = (
            ApplicationBuilder().token(token).base_url(api_url).base_file_url(file_url)
            .request(request or AiohttpRequest(pool_size=32, read_timeout=request_timeout))
            .get_updates_request(request or AiohttpRequest(pool_size=1,
                                                           read_timeout=request_timeout + 30))
            .concurrent_updates(True).build())
        self.app.add_handler(CallbackQueryHandler(self._on_callback))
        self.app.add_handler(MessageHandler(filters.ALL, self._on_message))
        self.app.add_error_handler(self._on_error)

    # -- incoming ------------------------------------------------------------------------

    async def _on_message(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        msg = incoming(update)
        if msg is None or update.effective_message is None:
            return
        for out in await self.batcher.handle(msg):
            await self._reply(update.effective_message, out)

    async def _on_callback(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        q = update.callback_query
        msg = incoming(update)
        if q is None or msg is None:
            return
        answers = await self.batcher.handle(msg)
        await q.answer(answers[0].text[:190] if answers else None)
        if answers and isinstance(q.message, Message) and q.message.text:
            # show the new state in the reminder itself; the rest goes as new messages
            first, rest = answers[0], answers[1:]
            text = f"{q.message.text}\n\n{first.text}"
            try:
                await q.message.edit_text(split_text(text, self.limit)[0],
                                          reply_markup=keyboard(first, q.message.chat_id))
            except BadRequest:
                rest = answers
            for out in rest:
                await self._reply(q.message, out)

    async def _reply(self, to: Message, out: Outgoing) -> None:
        await self._deliver(to.chat_id, out)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.warning("Telegram: %s", type(context.error).__name__)

    # -- outgoing ------------------------------------------------------------------------

    async def _deliver(self, chat_id: int | str, out: Outgoing) -> str:
        bot = self.app.bot
        if out.file is not None:
            with open(out.file, "rb") as f:
                sent = await bot.send_document(chat_id, f, filename=out.file.name,
                                               caption=out.text[:1024])
            return str(sent.message_id)
        pieces = split_text(out.text, self.limit)
        sent_id = ""
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            sent = await bot.send_message(chat_id, piece,
                                          reply_markup=keyboard(out, chat_id) if last else None)
            sent_id = str(sent.message_id)
        return sent_id

    async def send(self, chat_id: str, message: Outgoing) -> str:
        """For the outbox sender: Telegram's failures mapped to retry / give up."""
        try:
            return await self._deliver(chat_id, message)
        except RetryAfter as err:
            raise RetryLater("429 Too Many Requests", _retry_seconds(err)) from err
        except Forbidden as err:
            raise Undeliverable(f"403: {err.message}") from err
        except BadRequest as err:
            if "chat not found" in err.message.lower():
                raise Undeliverable(err.message) from err
            raise RetryLater(f"400: {err.message}") from err
        except NetworkError as err:  # includes TimedOut
            raise RetryLater(f"network: {err.message}") from err
        except TelegramError as err:
            raise RetryLater(err.message) from err

    # -- life cycle ----------------------------------------------------------------------

    async def start(self, webhook_url: str = "", secret: str = "", listen: str = "0.0.0.0",
                    port: int = 8443, web_url: str = "") -> None:
        """*web_url*: the web view's address; the chats' menu button opens it (HTTPS)."""
        await self.app.initialize()
        try:
            await self.app.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])
        except TelegramError as err:  # an older local Bot API server: not fatal
            log.warning("setMyCommands not supported: %s", err.message)
        if web_url.startswith("https://"):
            try:
                await self.app.bot.set_chat_menu_button(menu_button=MenuButtonWebApp(
                    MENU_LABEL, WebAppInfo(web_url.rstrip("/") + "/tg")))
            except TelegramError as err:
                log.warning("setChatMenuButton failed: %s", err.message)
        await self.app.start()
        assert self.app.updater is not None
        if webhook_url:
            await self.app.updater.start_webhook(listen=listen, port=port, url_path="telegram",
                                                 webhook_url=webhook_url.rstrip("/")
                                                 + "/telegram", secret_token=secret or None)
        else:
            await self.app.updater.start_polling(poll_interval=0.0, timeout=20,
                                                 error_callback=self._polling_error)

    @staticmethod
    def _polling_error(err: TelegramError) -> None:
        log.warning("Telegram polling: %s", type(err).__name__)

    async def stop(self) -> None:
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()
