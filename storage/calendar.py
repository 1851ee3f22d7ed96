"""The periodic-report calendar of a plan: which reports schools owe, and when."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from storage.files.deadlines import quarter_end


@dataclass(frozen=True)
class PeriodSpec:
    code: str
    name: str
    due_on: date
    covers_from: date
    covers_to: date


def default_report_calendar(year: int) -> list[PeriodSpec]:
    """The source plan's rule: quarterly on the 25th of the quarter's last month; the
    half-year (24/6) and annual (23/12) reports stand for Q2 and Q4."""
    return [
        PeriodSpec("Q1", f"Báo cáo quý I năm {year}", date(year, 3, 25),
                   date(year, 1, 1), quarter_end(year, 1)),
        PeriodSpec("H1", f"Báo cáo 6 tháng đầu năm {year}", date(year, 6, 24),
                   date(year, 1, 1), quarter_end(year, 2)),
        PeriodSpec("Q3", f"Báo cáo quý III năm {year}", date(year, 9, 25),
                   date(year, 1, 1), quarter_end(year, 3)),
        PeriodSpec("Y", f"Báo cáo năm {year}", date(year, 12, 23),
                   date(year, 1, 1), date(year, 12, 31)),
    ]


def parse_day_month(text: str, year: int) -> date:
    """'25/3' or '25/3/2024' → a date in *year* unless the year is written."""
    found = re.fullmatch(r"\s*(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?\s*", str(text))
    if not found:
        raise ValueError(f"ngày “{text}” không đúng dạng ngày/tháng")
    d, m, y = found.groups()
    return date(int(y) if y else year, int(m), int(d))
