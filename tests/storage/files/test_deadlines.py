"""The deadline reader: every deadline of the 2024 plan, the other usual forms, bad input."""

from datetime import date

import pytest

from storage.files.deadlines import DeadlineError, parse_deadline
from storage.files.plan import default_plan
from storage.models import DueKind


@pytest.mark.parametrize(("text", "kind", "start", "end"), [
    ("Tháng 1, 2", DueKind.BY_DATE, date(2024, 1, 1), date(2024, 2, 29)),
    ("Tháng 1,2", DueKind.BY_DATE, date(2024, 1, 1), date(2024, 2, 29)),
    ("tháng 1 và 2", DueKind.BY_DATE, date(2024, 1, 1), date(2024, 2, 29)),
    ("Quý I năm 2024", DueKind.BY_DATE, date(2024, 1, 1), date(2024, 3, 31)),
    ("Thực hiện quý 2 năm 2024", DueKind.BY_DATE, date(2024, 4, 1), date(2024, 6, 30)),
    ("Quý III", DueKind.BY_DATE, date(2024, 7, 1), date(2024, 9, 30)),
    ("quý 4/2024", DueKind.BY_DATE, date(2024, 10, 1), date(2024, 12, 31)),
    ("QUÝ IV NĂM 2025", DueKind.BY_DATE, date(2025, 10, 1), date(2025, 12, 31)),
    ("Thực hiện cả năm 2024", DueKind.ONGOING, date(2024, 1, 1), date(2024, 12, 31)),
    ("Thuc hien ca nam 2024", DueKind.ONGOING, date(2024, 1, 1), date(2024, 12, 31)),
    ("Thường xuyên", DueKind.ONGOING, date(2024, 1, 1), date(2024, 12, 31)),
    ("Trước ngày 15/3/2024", DueKind.BY_DATE, None, date(2024, 3, 15)),
    ("trước ngày 15/3", DueKind.BY_DATE, None, date(2024, 3, 15)),
    ("30/11/2024", DueKind.BY_DATE, None, date(2024, 11, 30)),
    ("tháng 6/2024", DueKind.BY_DATE, date(2024, 6, 1), date(2024, 6, 30)),
    ("Tháng 6 năm 2024", DueKind.BY_DATE, date(2024, 6, 1), date(2024, 6, 30)),
    ("6 tháng đầu năm", DueKind.BY_DATE, date(2024, 1, 1), date(2024, 6, 30)),
    ("6 tháng cuối năm 2024", DueKind.BY_DATE, date(2024, 7, 1), date(2024, 12, 31)),
    ("Hằng quý", DueKind.QUARTERLY, date(2024, 1, 1), date(2024, 12, 31)),
    ("hàng tháng", DueKind.MONTHLY, date(2024, 1, 1), date(2024, 12, 31)),
    ("Quy\u0301 I năm 2024", DueKind.BY_DATE, date(2024, 1, 1), date(2024, 3, 31)),  # NFD
])
def test_reads_deadline_words(text: str, kind: DueKind, start: date | None, end: date) -> None:
    due = parse_deadline(text, 2024)
    assert (due.kind, due.start, due.end) == (kind, start, end)


def test_february_end_follows_the_plan_year() -> None:
    assert parse_deadline("Tháng 1, 2", 2025).end == date(2025, 2, 28)


@pytest.mark.parametrize("text", [
    "", "   ", "sớm nhất có thể", "Quý V năm 2024", "tháng 13", "31/2/2024", "ngày 5/13",
    "Quý I năm 1900", "Tháng 12/1019", "Trước ngày 15/3/2015", "1/2031", "sau Tết",
])
def test_refuses_words_it_cannot_read(text: str) -> None:
    with pytest.raises(DeadlineError):
        parse_deadline(text, 2024)


@pytest.mark.parametrize(("text", "start", "end"), [
    ("01-12/4/2019", date(2019, 4, 1), date(2019, 4, 12)),
    ("27/4 - 19/5/2019", date(2019, 4, 27), date(2019, 5, 19)),
    ("25/4- 01/5/2019", date(2019, 4, 25), date(2019, 5, 1)),
    ("Từ ngày 27/4 đến ngày 19/5/2019", date(2019, 4, 27), date(2019, 5, 19)),
    ("6/2019", date(2019, 6, 1), date(2019, 6, 30)),
    ("01/2020", date(2020, 1, 1), date(2020, 1, 31)),
    ("2020", date(2020, 1, 1), date(2020, 12, 31)),
    ("Năm 2019", date(2019, 1, 1), date(2019, 12, 31)),
])
def test_ranges_end_at_their_last_day_and_bare_years_at_december(text: str, start: date,
                                                                  end: date) -> None:
    due = parse_deadline(text, 2019)
    assert (due.kind, due.start, due.end) == (DueKind.BY_DATE, start, end)


@pytest.mark.parametrize("text", ["Nhiệm vụ thường xuyên", "Hằng năm", "hàng năm",
                                  "Thường xuyên, liên tục"])
def test_ongoing_words(text: str) -> None:
    due = parse_deadline(text, 2025)
    assert (due.kind, due.end) == (DueKind.ONGOING, date(2025, 12, 31))


@pytest.mark.parametrize("text", ["Theo yêu cầu", "khi có yêu cầu", "Theo kế hoạch của Sở",
                                  "Theo kế hoạch của cấp trên", "Khi có văn bản",
                                  "Theo chỉ đạo của UBND tỉnh", "Đột xuất"])
def test_on_request_words_have_no_fixed_deadline(text: str) -> None:
    assert parse_deadline(text, 2025).kind == DueKind.ON_REQUEST


@pytest.mark.parametrize(("text", "end"), [
    ("Tháng 9", date(2024, 9, 30)), ("Tháng 12", date(2024, 12, 31)),
    ("Tháng 1", date(2025, 1, 31)), ("Tháng 5", date(2025, 5, 31)),
    ("Tháng 11 - 12", date(2024, 12, 31)), ("Tháng 12 - 1", date(2025, 1, 31)),
    ("15/3", date(2025, 3, 15)), ("Cả năm học", date(2025, 5, 31)),
])
def test_school_year_months_roll_into_the_next_calendar_year(text: str, end: date) -> None:
    assert parse_deadline(text, 2024, school_year=True).end == end


def test_a_printed_typo_in_the_year_is_refused_not_guessed() -> None:
    with pytest.raises(DeadlineError, match="1019"):
        parse_deadline("Tháng 12/1019", 2019)


def test_every_task_of_the_2024_plan_has_a_due_date() -> None:
    dues = {t.code: (t.due.kind, t.due.end) for t in default_plan().tasks}
    assert len(dues) == 21
    assert dues["1.1"] == (DueKind.BY_DATE, date(2024, 2, 29))
    assert dues["1.2"] == dues["1.3"] == (DueKind.BY_DATE, date(2024, 3, 31))
    assert dues["4.1"] == (DueKind.BY_DATE, date(2024, 6, 30))
    ongoing = [code for code, (kind, _) in dues.items() if kind == DueKind.ONGOING]
    assert len(ongoing) == 17
    assert all(dues[c][1] == date(2024, 12, 31) for c in ongoing)
