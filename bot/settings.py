"""Settings from the environment or a `.env` file. Tokens are secrets: never printed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, time
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from handlers.config import Config
from handlers.reminders.planner import Rules


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

    invite_days: int = 14
    send_time: str = "07:30"
    remind_before_days: list[int] = [7, 3, 1, 0]
    overdue_after_days: list[int] = [1, 3]
    overdue_repeat_days: int = 7
    escalate_after_days: int = 7
    escalate_weekday: int = 0  # staff's weekly digest of late schools: 0 = Monday … 4 = Friday

    @classmethod
    def defaults(cls, **values: Any) -> Settings:
        """The settings as written above (and *values*), ignoring the environment and .env:
        for the demo, the tests and the benchmarks."""
        return cls.model_construct(**values)

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def config(self, clock: Callable[[], datetime] | None = None,
               files_dir: Path | None = None) -> Config:
        """What the core and the service need: the one place settings become a `Config`."""
        hours, minutes = (int(x) for x in self.send_time.split(":"))
        links = {}
        if self.telegram_bot_username:
            links["telegram"] = f"https://t.me/{self.telegram_bot_username}?start={{code}}"
        rules = Rules(tuple(self.remind_before_days), tuple(self.overdue_after_days),
                      self.overdue_repeat_days, self.escalate_after_days,
                      self.escalate_weekday)
        config = Config(tz=self.tz, invite_days=self.invite_days,
                        send_time=time(hours, minutes), rules=rules, deep_links=links,
                        clock=clock)
        return replace(config, files_dir=files_dir) if files_dir is not None else config
