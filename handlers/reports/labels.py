"""The words and colours of the verdict, one place for chat, Excel, Word and the chart.

Four states no one can misread, and a fifth word for the deadline day itself. The colours
come from the Okabe–Ito palette (distinguishable with every common colour-vision
deficiency); cells use light tints of them so black text stays readable, and every
coloured cell also carries its word.
"""

from __future__ import annotations

from enum import StrEnum


class Mark(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    PENDING = "pending"  # deadline not come yet
    DUE_TODAY = "due_today"  # deadline is today, not done yet
    OVERDUE = "overdue"


WORDS: dict[Mark, str] = {
    Mark.ON_TIME: "Hoàn thành đúng hạn",
    Mark.LATE: "Hoàn thành quá hạn",
    Mark.PENDING: "Chưa đến hạn (đang thực hiện)",
    Mark.DUE_TODAY: "Đến hạn hôm nay",
    Mark.OVERDUE: "Quá hạn chưa hoàn thành",
}

# strong colours (chart bars) and light tints (table cells), Okabe–Ito
STRONG: dict[Mark, str] = {
    Mark.ON_TIME: "009E73",  # bluish green
    Mark.LATE: "E69F00",  # orange
    Mark.PENDING: "56B4E9",  # sky blue
    Mark.DUE_TODAY: "F0E442",  # yellow
    Mark.OVERDUE: "D55E00",  # vermilion
}
TINT: dict[Mark, str] = {
    Mark.ON_TIME: "A8E0CF",
    Mark.LATE: "F6D58C",
    Mark.PENDING: "CDE8F8",
    Mark.DUE_TODAY: "FAF4A8",
    Mark.OVERDUE: "F2B38F",
}

ORDER = [Mark.ON_TIME, Mark.LATE, Mark.PENDING, Mark.DUE_TODAY, Mark.OVERDUE]


def word(mark: Mark) -> str:
    return WORDS[mark]


def lower(mark: Mark) -> str:
    text = WORDS[mark]
    return text[:1].lower() + text[1:]


def legend() -> list[tuple[Mark, str, str]]:
    """(mark, tint, word) in reading order: what every legend shows."""
    return [(m, TINT[m], WORDS[m]) for m in ORDER]
