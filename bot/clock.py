"""The service's clock: real time, or a moment given on the command line (--at)."""

from __future__ import annotations

from datetime import datetime

from bot.settings import Settings


def parse_at(text: str, settings: Settings) -> datetime:
    """'2024-03-20 07:30' or '2024-03-20' as a local aware datetime."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as err:
        raise SystemExit(f"Lỗi: thời điểm “{text}” không đúng dạng \"2024-03-20 07:30\"") \
            from err
    return moment.replace(tzinfo=settings.tz) if moment.tzinfo is None \
        else moment.astimezone(settings.tz)


def now_local(settings: Settings, at: str | None = None) -> datetime:
    return parse_at(at, settings) if at else datetime.now(settings.tz)
