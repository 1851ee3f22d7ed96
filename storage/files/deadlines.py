"""Reading the Vietnamese deadline words of a task matrix into a due window.

"Tháng 1, 2" → by 29/02; "Quý I năm 2024" → by 31/3; "Thực hiện cả năm 2024" → ongoing,
finished 31/12; "Trước ngày 15/3/2024" → by 15/3; "6 tháng đầu năm" → by 30/6;
"01-12/4/2019" and "27/4 - 19/5/2019" → by the range's end; "6/2025" → by 30/6/2025;
a bare "2026" → by 31/12/2026; "hằng quý" / "hằng tháng" → recurring; "Nhiệm vụ thường
xuyên", "hằng năm" → ongoing; "Theo yêu cầu", "Theo kế hoạch của Sở", "Khi có văn bản" →
no fixed deadline (never reminded). In a school-year plan (*school_year*), months from
August to December belong to the plan's first year and January to July to the next.
A year far from the plan's (a printed typo such as 1019) and anything else unknown is
refused, never guessed.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from storage.models import DueKind
from storage.textnorm import fold

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
ONGOING = re.compile(r"(nhiem vu )?(thuong xuyen|lien tuc|hang nam|hàng nam|ca nam hoc|"
                     r"trong nam hoc|suot nam hoc|ca nam|trong nam|quanh nam)"
                     r"(,? (va )?(thuong xuyen|lien tuc))?( nam)?( \d{4})?")
ON_REQUEST = re.compile(r"(theo|khi co|khi|dot xuat)\b.*\b(yeu cau|ke hoach|van ban|chi dao|"
                        r"huong dan|thong bao|lich|phat sinh|de nghi|trieu tap)\b.*"
                        r"|dot xuat|khi phat sinh")
FIRST_SCHOOL_MONTH = 8  # a school year runs from August to July


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


def plan_end(year: int, school_year: bool = False) -> date:
    """The last day of a plan: 31/12, or 31/5 of the next year for a school year."""
    return date(year + 1, 5, 31) if school_year else date(year, 12, 31)


class _Reader:
    def __init__(self, text: str, year: int, school_year: bool) -> None:
        self.text, self.year, self.school_year = text.strip(), year, school_year

    def check_year(self, year: int) -> int:
        if not self.year - 1 <= year <= self.year + 5:
            raise DeadlineError(f"năm {year} trong “{self.text}” lệch xa năm {self.year} của "
                                "kế hoạch (có thể là lỗi in); hãy sửa lại tệp")
        return year

    def year_of(self, written: str | None, month: int) -> int:
        """The year a month without one falls in."""
        if written:
            return self.check_year(int(written))
        if self.school_year and month < FIRST_SCHOOL_MONTH:
            return self.year + 1
        return self.year

    def month(self, value: int) -> int:
        if not 1 <= value <= 12:
            raise DeadlineError(f"tháng {value} không hợp lệ trong “{self.text}”")
        return value

    def date(self, day: int, month: int, written: str | None) -> date:
        year = self.year_of(written, self.month(month))
        try:
            return date(year, month, day)
        except ValueError as err:
            raise DeadlineError(f"ngày {day}/{month}/{year} không tồn tại trong “{self.text}”") \
                from err


def parse_deadline(text: str, year: int, school_year: bool = False) -> Due:
    """Read *text* (as written in the plan) for a plan of *year*."""
    r = _Reader(text, year, school_year)
    words = re.sub(r"\s+", " ", fold(text)).strip(" .;:")
    if not words:
        raise DeadlineError("thời gian hoàn thành bị bỏ trống")
    words = re.sub(r"^(thuc hien|hoan thanh|trien khai)\s+", "", words)
    words = re.sub(r"\s*(?<=\d)\s+(den|toi)\s+(ngay\s+)?(?=\d)", " - ", words)
    words = re.sub(r"\s*-\s*thang\s+", " - ", words)
    whole = (date(year, 8, 1) if school_year else date(year, 1, 1), plan_end(year, school_year))

    if ON_REQUEST.fullmatch(words):
        return Due(DueKind.ON_REQUEST, None, whole[1])
    if re.fullmatch(r"hang quy( nam \d{4})?", words):
        y = r.year_of(_year_in(words), 1)
        return Due(DueKind.QUARTERLY, date(y, 1, 1), date(y, 12, 31))
    if re.fullmatch(r"hang thang( nam \d{4})?", words):
        y = r.year_of(_year_in(words), 1)
        return Due(DueKind.MONTHLY, date(y, 1, 1), date(y, 12, 31))
    if ONGOING.fullmatch(words):
        written = _year_in(words)
        if written is None:
            return Due(DueKind.ONGOING, *whole)
        y = r.check_year(int(written))
        return Due(DueKind.ONGOING, date(y, 1, 1), date(y, 12, 31))

    half = re.fullmatch(r"6 thang (dau|cuoi) nam( \d{4}| nam \d{4})?", words)
    if half:
        written = _year_in(words[5:])
        y = r.check_year(int(written)) if written else year
        if half.group(1) == "dau":
            return Due(DueKind.BY_DATE, date(y, 1, 1), date(y, 6, 30))
        return Due(DueKind.BY_DATE, date(y, 7, 1), date(y, 12, 31))

    quarter = re.fullmatch(r"quy (iv|iii|ii|i|[1-4])( nam (\d{4})|/(\d{4}))?", words)
    if quarter:
        q = ROMAN.get(quarter.group(1)) or int(quarter.group(1))
        written = quarter.group(3) or quarter.group(4)
        y = r.check_year(int(written)) if written else year
        return Due(DueKind.BY_DATE, date(y, q * 3 - 2, 1), quarter_end(y, q))

    prefix = r"(?:(?:truoc|den|cham nhat|han chot|trong|tu)\s+)?(?:ngay\s+)?"
    days = re.fullmatch(prefix + r"(\d{1,2})\s*-\s*(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}))?", words)
    if days:
        first, last, month = int(days.group(1)), int(days.group(2)), int(days.group(3))
        return Due(DueKind.BY_DATE, r.date(first, month, days.group(4)),
                   r.date(last, month, days.group(4)))
    span = re.fullmatch(prefix + r"(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}))?\s*-\s*"
                        r"(?:ngay\s+)?(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}))?", words)
    if span:
        g = span.groups()
        end = r.date(int(g[3]), int(g[4]), g[5])
        start = r.date(int(g[0]), int(g[1]), g[2] or (str(end.year) if g[5] else None))
        return Due(DueKind.BY_DATE, start, end)
    explicit = re.fullmatch(prefix + r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?", words)
    if explicit:
        day, month = int(explicit.group(1)), int(explicit.group(2))
        return Due(DueKind.BY_DATE, None, r.date(day, month, explicit.group(3)))

    months = re.fullmatch(
        r"(?:(?:truoc|den|trong|tu)\s+)?thang (\d{1,2})((?:\s*(?:,|va|-)\s*\d{1,2})*)"
        r"(?:(?:/| nam )(\d{4}))?",
        words,
    )
    month_year = re.fullmatch(r"(?:(?:truoc|den|trong)\s+)?(\d{1,2})/(\d{4})", words)
    if months or month_year:
        if months:
            listed = [int(months.group(1))] + [int(n) for n in
                                               re.findall(r"\d{1,2}", months.group(2))]
            written = months.group(3)
        else:
            assert month_year is not None
            listed, written = [int(month_year.group(1))], month_year.group(2)
        listed = [r.month(n) for n in listed]
        first, last = listed[0], listed[-1]
        y_first, y_last = r.year_of(written, first), r.year_of(written, last)
        if (y_first, first) > (y_last, last):
            first, last, y_first, y_last = last, first, y_last, y_first
        return Due(DueKind.BY_DATE, date(y_first, first, 1), month_end(y_last, last))

    bare = re.fullmatch(r"(?:(?:truoc|trong)\s+)?(?:nam\s+)?(\d{4})", words)
    if bare:
        y = r.check_year(int(bare.group(1)))
        return Due(DueKind.BY_DATE, date(y, 1, 1), date(y, 12, 31))

    raise DeadlineError(f"không đọc được thời hạn “{text.strip()}”")


def _year_in(words: str) -> str | None:
    found = re.search(r"\b(\d{4})\b", words)
    return found.group(1) if found else None
