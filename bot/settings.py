"""Settings from the environment or a `.env` file, checked when read: a wrong value stops
the program with a Vietnamese message naming the setting. Tokens are secrets: never
printed."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, time
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from handlers.config import Config
from handlers.reminders.planner import Rules

SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{8,256}")  # what both Telegram and Zalo accept


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
    # The one web server (webhooks, the web view, /healthz) listens on WEB_HOST:WEB_PORT;
    # WEB_URL is its public base address (HTTPS, behind a proxy). Empty: no web view.
    web_url: str = ""
    web_host: str = "0.0.0.0"
    web_port: int = 8080
    webhook_url: str = ""  # set: webhook mode, Telegram and Zalo post to …/telegram, …/zalo
    webhook_secret: SecretStr | None = None  # required with WEBHOOK_URL
    tick_seconds: int = 30
    web_secret: SecretStr | None = None  # mixed into the key of signed web links
    link_days: int = 7  # how long a signed web link is valid

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

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as err:
            raise ValueError(f"múi giờ “{value}” không tồn tại (ví dụ Asia/Ho_Chi_Minh)"
                             ) from err
        return value

    @field_validator("send_time")
    @classmethod
    def _time(cls, value: str) -> str:
        found = re.fullmatch(r"(\d{1,2}):(\d{2})", value.strip())
        if not found or int(found.group(1)) > 23 or int(found.group(2)) > 59:
            raise ValueError(f"giờ gửi “{value}” không hợp lệ (dạng GG:PP, ví dụ 07:30)")
        return value.strip()

    @field_validator("invite_days", "overdue_repeat_days", "escalate_after_days",
                     "tick_seconds")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError(f"phải là số nguyên từ 1 trở lên (đang là {value})")
        return value

    @field_validator("remind_before_days", "overdue_after_days")
    @classmethod
    def _days(cls, value: list[int]) -> list[int]:
        if any(d < 0 or d > 366 for d in value):
            raise ValueError("mỗi số ngày phải từ 0 đến 366")
        return value

    @field_validator("web_port")
    @classmethod
    def _port(cls, value: int) -> int:
        if not 0 <= value <= 65535:
            raise ValueError(f"cổng {value} không hợp lệ (0–65535)")
        return value

    @field_validator("webhook_url", "web_url", "telegram_api_url", "zalo_api_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if value and not re.match(r"https?://[^\s/]+", value):
            raise ValueError("phải là địa chỉ bắt đầu bằng https:// (hoặc http:// khi thử)")
        return value

    @model_validator(mode="after")
    def _webhook_secret(self) -> Settings:
        if self.webhook_url and not self.web_url:  # one server, one public address
            self.web_url = self.webhook_url
        if self.webhook_url:
            secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
            if not SECRET_SHAPE.fullmatch(secret):
                raise ValueError(
                    "WEBHOOK_SECRET: khi đặt WEBHOOK_URL (chế độ webhook) phải đặt "
                    "WEBHOOK_SECRET gồm 8–256 ký tự chữ không dấu, số, “_” hoặc “-”; thiếu "
                    "nó, bất kỳ ai cũng gửi được tin giả mạo tới bot")
        return self

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
                        clock=clock, web_url=self.web_url,
                        web_secret=self.web_secret.get_secret_value() if self.web_secret else "",
                        link_days=self.link_days)
        return replace(config, files_dir=files_dir) if files_dir is not None else config

    def secrets(self) -> list[str]:
        """Every secret value set (tokens, the webhook secret, the database password)."""
        found = [s.get_secret_value() for s in (self.telegram_bot_token, self.zalo_bot_token,
                                                 self.webhook_secret, self.web_secret)
                 if s is not None]
        password = re.match(r"[^:/]+://[^:/@]*:([^@]*)@", self.database_url)
        if password and password.group(1):
            found.append(password.group(1))
        return found


def problems(err: ValidationError) -> str:
    """The settings that are wrong, in Vietnamese, one a line."""
    lines = []
    for e in err.errors():
        name = "_".join(str(p) for p in e.get("loc", ()) if isinstance(p, str)).upper()
        message = str(e.get("msg", "")).removeprefix("Value error, ")
        if message.startswith("WEBHOOK_SECRET"):
            lines.append(f"- {message}")
        elif e.get("type", "").startswith(("int_", "list_", "json_")):
            lines.append(f"- {name}: giá trị không đúng kiểu (cần số nguyên hoặc danh sách "
                         "số, ví dụ [7, 3, 1, 0])")
        else:
            lines.append(f"- {name}: {message}")
    return "\n".join(lines)
