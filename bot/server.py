"""The service's one web server, on one port: every transport's webhook routes, the web
view's routes (bot/web/) and /healthz.

    server = WebServer(host, port, [telegram.routes(), zalo.routes(), web_view_routes])
    await server.start() … await server.stop()

Bodies are capped (`MAX_BODY`); a route that checks a secret does so from the headers,
before it reads the body.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aiohttp import web

log = logging.getLogger(__name__)
MAX_BODY = 1 * 2**20  # an update is a few kilobytes; nothing legitimate comes near this


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


def build_app(route_groups: Iterable[Iterable[web.AbstractRouteDef]],
              max_body: int = MAX_BODY) -> web.Application:
    app = web.Application(client_max_size=max_body)
    app.router.add_get("/healthz", healthz)
    for routes in route_groups:
        app.router.add_routes(list(routes))
    return app


def refuse(status: int) -> web.Response:
    """A refusal that closes the connection: the rest of the body is never read."""
    response = web.json_response({"ok": False}, status=status)
    response.force_close()
    return response


async def read_capped(request: web.Request, max_body: int = MAX_BODY) -> bytes | None:
    """The body, or None when it is (or claims to be) over the cap."""
    if request.content_length is not None and request.content_length > max_body:
        return None
    body = bytearray()
    async for chunk in request.content.iter_chunked(65536):
        body += chunk
        if len(body) > max_body:
            return None
    return bytes(body)


class WebServer:
    def __init__(self, host: str, port: int,
                 route_groups: Iterable[Iterable[web.AbstractRouteDef]],
                 max_body: int = MAX_BODY) -> None:
        self.host, self.port = host, port
        self.app = build_app(route_groups, max_body)
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        if self.port == 0:  # a free port (tests): tell which
            sockets = getattr(site._server, "sockets", None) or []
            if sockets:
                self.port = sockets[0].getsockname()[1]
        log.info("web server listening on port %d", self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
