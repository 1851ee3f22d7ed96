"""`nhacviec run`: the channels whose tokens are set, the inbox, the scheduler and the
outbox sender, and one web server (webhooks, the web view, /healthz) on one port, in one
process with one database."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterable

from aiohttp import web
from sqlalchemy import Engine

from bot.inbox import Inbox
from bot.server import WebServer
from bot.service import Service
from bot.settings import Settings
from bot.transports.base import Downloads, StartFailed, Transport
from bot.transports.telegram import TelegramTransport
from bot.transports.zalo import ZaloClient, ZaloTransport
from bot.web import web_routes
from handlers.commands.planfile import PLAN_SUFFIXES
from handlers.config import Config
from handlers.core import Core

log = logging.getLogger(__name__)
NO_CHANNEL = ("chưa cấu hình kênh nào. Đặt TELEGRAM_BOT_TOKEN và/hoặc ZALO_BOT_TOKEN trong "
              "biến môi trường hoặc tệp .env (xem README).")
START_FAILED = {
    ("telegram", "token_rejected"): "Telegram từ chối TELEGRAM_BOT_TOKEN (token sai hoặc đã "
                                    "bị thu hồi). Vui lòng kiểm tra lại với @BotFather.",
    ("zalo", "token_rejected"): "Zalo từ chối ZALO_BOT_TOKEN (token sai hoặc đã bị thu hồi).",
}


class CannotStart(Exception):
    """The service cannot start; the message says why, in Vietnamese."""


def downloads(config: Config) -> Downloads:
    """The documents transports fetch for the core: plan files staff send in the chat."""
    return Downloads(config.files_dir / "incoming", config.max_file, PLAN_SUFFIXES)


def build_transports(settings: Settings, fetch: Downloads | None = None
                     ) -> dict[str, Transport]:
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    transports: dict[str, Transport] = {}
    if settings.telegram_bot_token is not None:
        transports["telegram"] = TelegramTransport(
            settings.telegram_bot_token.get_secret_value(), api_url=settings.telegram_api_url,
            webhook_url=settings.webhook_url, secret=secret,
            username=settings.telegram_bot_username, web_url=settings.web_url,
            downloads=fetch)
    if settings.zalo_bot_token is not None:
        client = ZaloClient(settings.zalo_bot_token.get_secret_value(), settings.zalo_api_url)
        transports["zalo"] = ZaloTransport(client, webhook_url=settings.webhook_url,
                                           secret=secret)
    return transports


def web_view(settings: Settings, engine: Engine, core: Core) -> list[list[web.AbstractRouteDef]]:
    """The web view's routes when WEB_URL is set (it is off otherwise)."""
    if not settings.web_url:
        return []
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token \
        else ""
    log.info("web view at %s", settings.web_url)
    return [web_routes(engine, core, core.config, token, settings.telegram_api_url)]


async def serve(settings: Settings, engine: Engine, core: Core,
                stop: asyncio.Event | None = None, *,
                transports: dict[str, Transport] | None = None,
                routes: Iterable[Iterable[web.AbstractRouteDef]] = ()) -> None:
    """Run until *stop* is set (or SIGINT/SIGTERM). *routes*: more web routes to mount on
    the one web server (the web view)."""
    transports = transports if transports is not None else build_transports(
        settings, downloads(core.config))
    if not transports:
        raise CannotStart(NO_CHANNEL)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows, nor
            loop.add_signal_handler(sig, stop.set)  # off the main thread: stop is set by hand
    server = WebServer(settings.web_host, settings.web_port,
                       [*(t.routes() for t in transports.values()),
                        *web_view(settings, engine, core), *routes])
    inbox = Inbox(engine, core, transports)
    service = Service(engine, transports, core.config)
    started: list[Transport] = []
    await server.start()  # webhooks can arrive as soon as they are registered
    inbox.start()  # answers what is still waiting from before a restart, too
    try:
        for name, transport in transports.items():
            starting = asyncio.ensure_future(transport.start(inbox.receive))
            stopping = asyncio.ensure_future(stop.wait())
            await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if not starting.done():  # stopped while the platform was still unreachable
                starting.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await starting
                return
            try:
                starting.result()
            except StartFailed as err:
                raise CannotStart(START_FAILED.get((name, err.fact), f"{name}: {err.fact}")
                                  ) from None
            started.append(transport)
            log.info("channel %s started", name)
        service.start(every_seconds=settings.tick_seconds)
        log.info("nhacviec is running; Ctrl-C to stop")
        await stop.wait()
    finally:
        service.stop()
        for transport in started:
            with contextlib.suppress(Exception):
                await transport.stop()
        await inbox.stop()
        await server.stop()
