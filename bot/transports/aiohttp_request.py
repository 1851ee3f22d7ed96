"""python-telegram-bot networking on aiohttp instead of httpx: PTB's own extension point
(a `BaseRequest`), chosen because aiohttp's client pool costs far less per request when
hundreds of messages are in flight (see docs/benchmarks.md)."""

from __future__ import annotations

import os
from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    def __init__(self, pool_size: int = 32, read_timeout: float = 20.0) -> None:
        self._pool_size = pool_size
        self._read_timeout = read_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                headers={"User-Agent": f"nhacviec/{os.getpid()}"},
                connector=aiohttp.TCPConnector(limit=self._pool_size))

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = BaseRequest.DEFAULT_NONE,
                         write_timeout: Any = BaseRequest.DEFAULT_NONE,
                         connect_timeout: Any = BaseRequest.DEFAULT_NONE,
                         pool_timeout: Any = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            await self.initialize()
        assert self._session is not None
        timeout = self._read_timeout if read_timeout is BaseRequest.DEFAULT_NONE \
            else read_timeout
        data: Any = None
        if request_data is not None:
            if request_data.contains_files:
                form = aiohttp.FormData()
                for name, value in request_data.json_parameters.items():
                    form.add_field(name, value)
                for name, (filename, content, mime) in request_data.multipart_data.items():
                    form.add_field(name, content, filename=filename, content_type=mime)
                data = form
            else:
                data = request_data.json_parameters
        try:
            async with self._session.request(
                    method, url, data=data,
                    timeout=aiohttp.ClientTimeout(total=None if timeout is None
                                                  else float(timeout) + 5,
                                                  sock_read=timeout)) as response:
                return response.status, await response.read()
        except TimeoutError as err:
            raise TimedOut("Timed out") from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp: {type(err).__name__}") from err
