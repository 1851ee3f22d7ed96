"""Reading the Vietnamese deadline words of a task matrix into a due window.

"Tháng 1, 2" → by 29/02; "Quý I năm 2024" → by 31/3; "Thực hiện cả năm 2024" → ongoing,
finished 31/12; "Trước ngày 15/3/2024" → by 15/3; "6 tháng đầu năm" → by 30/6;
"hằng quý" / "hằng tháng" → recurring. Anything else is refused, never guessed.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from storage.models import DueKind
from storage.textnorm import fold

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


class DeadlineError(ValueError):
    """The words cannot be read as a deadline."""


@dataclass(frozen=True)
class Due:
    kind: DueKind
    start: date | None
    end: date


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> date:
    return month_end(year, quarter * 3)


def _check_year(year: int, text: str) -> int:
    if not 2000 <= year <= 2100:
        raise DeadlineError(f"năm {year} không hợp lệ trong “{text}”")
    return year


def _year_in(words: str, default: int, text: str) -> int:
    found = re.search(r"\bnam (\d{4})\b", words)
    return _check_year(int(found.group(1)), text) if found else default


def _date(day: int, month: int, year: int, text: str) -> date:
    try:
        return date(_check_year(year, text), month, day)
    except ValueError as err:
        raise DeadlineError(f"ngày {day}/{month}/{year} không tồn tại trong “{text}”") from err


def _month(value: int, text: str) -> int:
    if not 1 <= value <= 12:
        raise DeadlineError(f"tháng {value} không hợp lệ trong “{text}”")
    return value


def parse_deadline(text: str, year: int) -> Due:
    """Read *text* (as written in the plan) for a plan of *year*."""
    words = re.sub(r"\s+", " ", fold(text)).strip(" .;")
    if not words:
        raise DeadlineError("thời gian hoàn thành bị bỏ trống")
    words = re.sub(r"^(thuc hien|hoan thanh|trien khai)\s+", "", words)

    if re.fullmatch(r"hang quy( nam \d{4})?", words):
        y = _year_in(words, year, text)
        return Due(DueKind.QUARTERLY, date(y, 1, 1), date(y, 12, 31))
    if re.fullmatch(r"hang thang( nam \d{4})?", words):
        y = _year_in(words, year, text)
        return Due(DueKind.MONTHLY, date(y, 1, 1), date(y, 12, 31))
    if re.fullmatch(r"(ca nam|trong nam|thuong xuyen|quanh nam)( \d{4}| nam \d{4})?", words):
        found = re.search(r"(\d{4})", words)
        y = _check_year(int(found.group(1)), text) if found else year
        return Due(DueKind.ONGOING, date(y, 1, 1), date(y, 12, 31))

    half = re.fullmatch(r"6 thang (dau|cuoi) nam( \d{4}| nam \d{4})?", words)
    if half:
        found = re.search(r"(\d{4})", words[5:])
        y = _check_year(int(found.group(1)), text) if found else year
        if half.group(1) == "dau":
            return Due(DueKind.BY_DATE, date(y, 1, 1), date(y, 6, 30))
        return Due(DueKind.BY_DATE, date(y, 7, 1), date(y, 12, 31))

    quarter = re.fullmatch(r"quy (iv|iii|ii|i|[1-4])( nam (\d{4})|/(\d{4}))?", words)
    if quarter:
        q = ROMAN.get(quarter.group(1)) or int(quarter.group(1))
        written = quarter.group(3) or quarter.group(4)
        y = _check_year(int(written), text) if written else year
        return Due(DueKind.BY_DATE, date(y, q * 3 - 2, 1), quarter_end(y, q))

    explicit = re.fullmatch(
        r"(?:(?:truoc|den|cham nhat|han chot|trong)\s+)?(?:ngay\s+)?(\d{1,2})[/.-](\d{1,2})"
        r"(?:[/.-](\d{4}))?",
        words,
    )
    if explicit:
        d, m, y_text = int(explicit.group(1)), int(explicit.group(2)), explicit.group(3)
        return Due(DueKind.BY_DATE, None,
                   _date(d, _month(m, text), int(y_text) if y_text else year, text))

    months = re.fullmatch(
        r"(?:(?:truoc|den|trong)\s+)?thang (\d{1,2})((?:\s*(?:,|va|-)\s*\d{1,2})*)"
        r"(?:(?:/| nam )(\d{4}))?",
        words,
    )
    if months:
        listed = [int(months.group(1))] + [int(n) for n in re.findall(r"\d{1,2}", months.group(2))]
        listed = [_month(n, text) for n in listed]
        y = _check_year(int(months.group(3)), text) if months.group(3) else year
        first, last = min(listed), max(listed)
        return Due(DueKind.BY_DATE, date(y, first, 1), month_end(y, last))

    raise DeadlineError(f"không đọc được thời hạn “{text.strip()}”")
