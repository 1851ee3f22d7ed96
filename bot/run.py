"""`nhacviec run`: the channels whose tokens are set, the scheduler and the outbox sender,
in one process with one database."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from aiohttp import web
from sqlalchemy import Engine

from bot.service import Service
from bot.settings import Settings
from bot.transports.base import Transport
from bot.transports.telegram import TelegramTransport
from bot.transports.zalo import (
    SECRET_HEADER,
    ZaloClient,
    ZaloTransport,
    parse_updates,
    secret_ok,
)
from handlers.core import Core

log = logging.getLogger(__name__)
NO_CHANNEL = ("chưa cấu hình kênh nào. Đặt TELEGRAM_BOT_TOKEN và/hoặc ZALO_BOT_TOKEN trong "
              "biến môi trường hoặc tệp .env (xem README).")


def secrets_of(settings: Settings) -> list[str]:
    return [s.get_secret_value() for s in (settings.telegram_bot_token,
                                           settings.zalo_bot_token, settings.webhook_secret)
            if s is not None]


def build_transports(settings: Settings, core: Core) -> dict[str, Transport]:
    transports: dict[str, Transport] = {}
    if settings.telegram_bot_token is not None:
        transports["telegram"] = TelegramTransport(settings.telegram_bot_token.get_secret_value(),
                                                   core, settings.telegram_api_url)
    if settings.zalo_bot_token is not None:
        client = ZaloClient(settings.zalo_bot_token.get_secret_value(), settings.zalo_api_url)
        transports["zalo"] = ZaloTransport(client, core)
    return transports


def zalo_webhook(transport: Transport, secret: str) -> web.Application:
    """POST /zalo with the X-Bot-Api-Secret-Token header; a mismatch is refused."""
    assert isinstance(transport, ZaloTransport)

    async def receive(request: web.Request) -> web.Response:
        if not secret_ok(secret, request.headers.get(SECRET_HEADER)):
            return web.json_response({"ok": False}, status=403)
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"ok": False}, status=400)
        for update in parse_updates(body):
            asyncio.create_task(transport.handle_update(update))
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/zalo", receive)
    return app


async def serve(settings: Settings, engine: Engine, core: Core,
                stop: asyncio.Event | None = None) -> None:
    transports = build_transports(settings, core)
    if not transports:
        raise SystemExit(f"Lỗi: {NO_CHANNEL}")
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    runner: web.AppRunner | None = None
    started: list[Transport] = []
    try:
        for name, transport in transports.items():
            if name == "telegram":
                await transport.start(webhook_url=settings.webhook_url, secret=secret,  # type: ignore[attr-defined]
                                      port=settings.webhook_port)
            elif name == "zalo" and settings.webhook_url:
                client = transport.client  # type: ignore[attr-defined]
                await client.set_webhook(settings.webhook_url.rstrip("/") + "/zalo", secret)
                runner = web.AppRunner(zalo_webhook(transport, secret))
                await runner.setup()
                await web.TCPSite(runner, "0.0.0.0", settings.webhook_port + 1).start()
            else:
                await transport.start()  # type: ignore[attr-defined]
            started.append(transport)
            log.info("channel %s started", name)
        service = Service(engine, transports, core.config)
        service.start(every_seconds=settings.tick_seconds)
        log.info("nhacviec is running; Ctrl-C to stop")
        await stop.wait()
        service.stop()
    finally:
        for transport in started:
            await transport.stop()  # type: ignore[attr-defined]
        if runner is not None:
            await runner.cleanup()
