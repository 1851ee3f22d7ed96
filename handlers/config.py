"""What the core and the service need to know about their surroundings. Built in one place,
from the settings (`bot.settings.Settings.config`): the defaults live there, not here."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from handlers.reminders.planner import Rules


@dataclass(frozen=True)
class Config:
    tz: ZoneInfo
    invite_days: int  # an invite code works this many days
    send_time: time  # when digests go out on working days (and snoozed ones come back)
    rules: Rules  # when reminders are due
    deep_links: dict[str, str] = field(default_factory=dict)  # channel → "…?start={code}"
    clock: Callable[[], datetime] | None = None  # None: real time
    files_dir: Path = field(default_factory=lambda: Path(tempfile.gettempdir()) / "nhacviec")
    max_file: int = 10 * 2**20  # bytes of a document people send that the service fetches
    web_url: str = ""  # the web view's public address; empty: no web view
    web_secret: str = ""  # mixed into the signing key of web links (WEB_SECRET)
    link_days: int = 7  # how long a signed web link is valid

    def now(self) -> datetime:
        """The current local time (aware)."""
        return self.clock() if self.clock else datetime.now(self.tz)
