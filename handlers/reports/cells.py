"""How one assignment looks in a table cell: its verdict word and that word's colour, with
the progress or the difficulty when there is one."""

from __future__ import annotations

from datetime import date

from handlers.reports.labels import TINT, WORDS, Mark
from handlers.reports.tally import mark_of
from storage.models import State
from storage.records import Status


def cell(s: Status, today: date) -> tuple[str, str, Mark]:
    """(text, fill colour, mark) for one assignment as of *today*."""
    m = mark_of(s, today)
    a = s.assignment
    text = WORDS[m]
    if m not in (Mark.ON_TIME, Mark.LATE):
        if a.state == State.BLOCKED:
            text += " · gặp khó khăn"
        elif a.state == State.IN_PROGRESS and a.percent:
            text += f" · {a.percent}%"
    return text, TINT[m], m
