"""Settings from the environment or a `.env` file. Tokens are secrets: never printed."""

from __future__ import annotations

from functools import cached_property
from zoneinfo import ZoneInfo

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8",
                                      extra="ignore")

    database_url: str = "sqlite:///nhacviec.db"
    timezone: str = "Asia/Ho_Chi_Minh"

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_bot_username: str = ""
    zalo_bot_token: SecretStr | None = None
    zalo_api_url: str = "https://bot-api.zaloplatforms.com/bot"
    webhook_url: str = ""
    webhook_secret: SecretStr | None = None
    webhook_port: int = 8443  # Telegram's webhook listens here; Zalo's on the next port
    tick_seconds: int = 30
    web_url: str = ""  # the web view's public address (HTTPS behind a proxy); empty: off
    web_port: int = 8080
    web_secret: SecretStr | None = None  # mixed into the key of signed web links
    link_days: int = 7  # how long a signed web link is valid

    invite_days: int = 14
    send_time: str = "07:30"
    remind_before_days: list[int] = [7, 3, 1, 0]
    overdue_after_days: list[int] = [1, 3]
    overdue_repeat_days: int = 7
    escalate_after_days: int = 7

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
