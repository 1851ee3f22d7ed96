"""How one assignment looks in a table cell: a short word and a colour per state."""

from __future__ import annotations

from datetime import date

from handlers.reports.tally import verdict_of
from storage.models import State, Verdict
from storage.records import Status

# fill colours (RGB hex) — green on time, orange late, blue in progress, red overdue,
# grey not started
GREEN, ORANGE, BLUE, RED, GREY = "C6EFCE", "FFC879", "BDD7EE", "FF9B9B", "E0E0E0"
LEGEND = [(GREEN, "Hoàn thành đúng hạn"), (ORANGE, "Hoàn thành quá hạn"),
          (BLUE, "Đang thực hiện (trong hạn)"), (RED, "Quá hạn chưa xong"),
          (GREY, "Chưa thực hiện (trong hạn)")]


def cell(s: Status, today: date) -> tuple[str, str]:
    """(text, fill colour) for one assignment as of *today*."""
    v = verdict_of(s, today)
    a = s.assignment
    if v == Verdict.DONE_ON_TIME:
        return "Đúng hạn", GREEN
    if v == Verdict.DONE_LATE:
        return "Quá hạn", ORANGE
    label = {State.IN_PROGRESS: f"{a.percent}%" if a.percent else "Đang làm",
             State.BLOCKED: "Vướng", State.NOT_STARTED: "Chưa", State.DONE: "Chưa"}[a.state]
    if v == Verdict.OVERDUE:
        return f"Trễ · {label}" if label != "Chưa" else "Trễ", RED
    return label, BLUE if a.state in (State.IN_PROGRESS, State.BLOCKED) else GREY
