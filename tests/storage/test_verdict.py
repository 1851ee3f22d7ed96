"""The four-way verdict: done on time / done late / not done within deadline / overdue."""

from datetime import date

import pytest

from storage.models import State, Verdict
from storage.verdict import VERDICT_NAMES, verdict

DUE = date(2024, 3, 31)


@pytest.mark.parametrize(("state", "completed", "today", "expected"), [
    (State.DONE, date(2024, 3, 31), date(2024, 4, 5), Verdict.DONE_ON_TIME),
    (State.DONE, date(2024, 4, 1), date(2024, 4, 5), Verdict.DONE_LATE),
    (State.IN_PROGRESS, None, date(2024, 3, 31), Verdict.PENDING),
    (State.NOT_STARTED, None, date(2024, 4, 1), Verdict.OVERDUE),
    (State.BLOCKED, None, date(2024, 4, 1), Verdict.OVERDUE),
    (State.BLOCKED, None, date(2024, 3, 1), Verdict.PENDING),
])
def test_verdict(state: State, completed: date | None, today: date, expected: Verdict) -> None:
    assert verdict(state, DUE, completed, today) == expected


def test_names_are_the_words_users_know() -> None:
    assert VERDICT_NAMES[Verdict.DONE_ON_TIME] == "hoàn thành đúng hạn"
    assert VERDICT_NAMES[Verdict.DONE_LATE] == "hoàn thành quá hạn"
    # the words of every report (handlers.reports.labels): "not yet due", never a phrase
    # that reads as "missed its deadline"
    assert VERDICT_NAMES[Verdict.PENDING] == "chưa đến hạn (đang thực hiện)"
    assert VERDICT_NAMES[Verdict.OVERDUE] == "quá hạn chưa hoàn thành"
