"""What the core needs to know about its surroundings (built by bot/ from settings)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo


@dataclass
class Config:
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    invite_days: int = 14
    deep_links: dict[str, str] = field(default_factory=dict)  # channel → "…?start={code}"
    clock: Callable[[], datetime] | None = None  # None: real time
    send_time: time = time(7, 30)  # when digests go out on working days
    files_dir: Path = field(default_factory=lambda: Path(tempfile.gettempdir()) / "nhacviec")
    web_url: str = ""  # the web view's public address; empty: no web view
    web_secret: str = ""  # mixed into the signing key of web links (WEB_SECRET)
    link_days: int = 7  # how long a signed web link is valid

    def now(self) -> datetime:
        """The current local time (aware)."""
        return self.clock() if self.clock else datetime.now(self.tz)
