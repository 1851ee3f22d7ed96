"""The web view on a migrated database with the sample roster, on a fixed clock (20/3/2024),
served by aiohttp's test server; `login(who)` opens a signed link as that person."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import Engine

from bot.cli import find_contact
from bot.settings import Settings
from bot.web import build_app
from handlers.config import Config
from handlers.core import Core
from handlers.web_links import person_url
from storage.db import session_scope

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2024, 3, 20, 9, 0, tzinfo=TZ)
BOT_TOKEN = "123456:TEST-token"


def sign_init_data(fields: dict[str, str], bot_token: str = BOT_TOKEN) -> str:
    """initData as Telegram signs it (the documented algorithm, written independently)."""
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    return urlencode({**fields, "hash": hmac.new(secret, check.encode(),
                                                  hashlib.sha256).hexdigest()})


def init_data_for(user_id: int, auth_date: datetime = NOW, token: str = BOT_TOKEN) -> str:
    return sign_init_data({"query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
                           "user": json.dumps({"id": user_id, "first_name": "Nga"}),
                           "auth_date": str(int(auth_date.timestamp())),
                           "signature": "c2lnbmF0dXJl"}, token)


@dataclass
class Web:
    engine: Engine
    config: Config
    core: Core

    def link(self, who: str, days: int | None = None, now: datetime = NOW) -> str:
        """The path of a signed link for a phone number or a unit's principal (PGD: staff)."""
        with session_scope(self.engine) as session:
            contact = find_contact(session, who)
            assert contact is not None
            url, _ = person_url(session, self.config, contact.id or 0, now, days)
        return url.removeprefix(self.config.web_url)


@pytest.fixture
def web_env(loaded: Engine, tmp_path) -> Web:  # noqa: ANN001
    config = replace(Settings.defaults().config(lambda: NOW, tmp_path / "files"),
                     web_url="http://web.test", web_secret="s3cret")
    return Web(loaded, config, Core(loaded, config))


@pytest.fixture
async def client(web_env: Web) -> AsyncIterator[TestClient]:
    app = build_app(web_env.engine, web_env.core, web_env.config, BOT_TOKEN)
    async with TestClient(TestServer(app)) as c:
        yield c


@pytest.fixture
def login_at(web_env: Web) -> Callable[[TestClient, str], Awaitable[None]]:
    """Open a signed link as *who* on a given client."""
    async def open_as(client: TestClient, who: str) -> None:
        client.session.cookie_jar.clear()
        response = await client.get(web_env.link(who))
        assert response.status == 200, await response.text()
    return open_as


@pytest.fixture
def login(client: TestClient, web_env: Web) -> Callable[[str], Awaitable[str]]:
    """Open a signed link as *who*; returns the path landed on."""
    async def open_as(who: str) -> str:
        client.session.cookie_jar.clear()
        response = await client.get(web_env.link(who))
        assert response.status == 200, await response.text()
        return response.url.path
    return open_as
