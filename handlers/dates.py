"""Dates as Vietnamese write them, through Babel: "Thứ Hai, ngày 25/3/2024"."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_date, format_time

LOCALE = "vi"


@lru_cache(maxsize=4096)
def day_long(d: date) -> str:
    """'Thứ Hai, ngày 25/3/2024'."""
    return format_date(d, "EEEE, 'ngày' d/M/yyyy", locale=LOCALE)


@lru_cache(maxsize=4096)
def day_weekday(d: date) -> str:
    """'Thứ Hai, 25/3/2024' (reminder lines)."""
    return format_date(d, "EEEE, d/M/yyyy", locale=LOCALE)


@lru_cache(maxsize=4096)
def day_short(d: date) -> str:
    """'25/3/2024'."""
    return format_date(d, "d/M/yyyy", locale=LOCALE)


def day_admin(d: date) -> str:
    """'ngày 07 tháng 02 năm 2024' — the administrative date line (Nghị định 30/2020):
    days below 10 and months 1 and 2 take a leading zero."""
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def moment(dt: datetime) -> str:
    """'07:30 ngày 25/3/2024' for a local datetime."""
    return f"{format_time(dt, 'HH:mm', locale=LOCALE)} ngày {day_short(dt.date())}"


def days_left(n: int) -> str:
    if n > 1:
        return f"còn {n} ngày"
    if n == 1:
        return "hạn là ngày mai"
    if n == 0:
        return "hạn là hôm nay"
    return f"quá hạn {-n} ngày"


DAY_TYPED = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?$")


def parse_day(text: str, today: date) -> date | None:
    """A day as people type it: "15/4", "15-4-2024" (no year: this year), else None."""
    found = DAY_TYPED.match(text)
    if not found:
        return None
    d, m, y = found.groups()
    try:
        return date(int(y) if y else today.year, int(m), int(d))
    except ValueError:
        return None
