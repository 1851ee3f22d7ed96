"""Working days in Vietnam: Monday to Friday, less public holidays (lunar Tết, Hùng Kings,
30/4, 1/5, 2/9 and their substitute days, as the `holidays` package knows them)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year, language="vi")


def holiday_name(d: date) -> str | None:
    return _holidays(d.year).get(d)


@lru_cache(maxsize=8192)
def is_workday(d: date) -> bool:
    return d.weekday() < 5 and d not in _holidays(d.year)


def workday_on_or_before(d: date) -> date:
    while not is_workday(d):
        d -= timedelta(days=1)
    return d


def workday_on_or_after(d: date) -> date:
    while not is_workday(d):
        d += timedelta(days=1)
    return d


def day_off_words(d: date) -> str:
    """'' on a working day, else '(ngày nghỉ: Tết Nguyên Đán)' or '(ngày nghỉ)'."""
    if is_workday(d):
        return ""
    name = holiday_name(d)
    return f"(ngày nghỉ: {name})" if name else "(ngày nghỉ)"
