"""One row per assignment, for CSV or JSON export."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from storage.contacts import contact_names
from storage.plans import active_plan
from storage.records import statuses
from storage.verdict import verdict

RISKY = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: Any) -> Any:
    """A text a spreadsheet must not read as a formula: a leading =, +, -, @, tab or CR gets
    an apostrophe in front (the OWASP advice for CSV injection). Other values unchanged."""
    if isinstance(value, str) and value.startswith(RISKY):
        return "'" + value
    return value


FIELDS = ["unit_code", "unit_name", "unit_kind", "task_code", "due_on", "state", "percent",
          "verdict", "note", "evidence", "updated_at", "updated_by"]


def export_rows(session: Session, *, today: date, tz: ZoneInfo) -> list[dict[str, Any]]:
    plan = active_plan(session)
    if plan is None:
        return []
    names = contact_names(session)
    rows = []
    for s in statuses(session, plan_id=plan.id or 0):
        a = s.assignment
        completed = a.completed_on
        rows.append({
            "unit_code": s.unit.code,
            "unit_name": s.unit.name,
            "unit_kind": s.unit.kind.value,
            "task_code": s.task.code,
            "due_on": s.task.due_on.isoformat(),
            "state": a.state.value,
            "percent": a.percent,
            "verdict": verdict(a.state, s.task.due_on, completed, today).value,
            "note": a.note,
            "evidence": a.evidence,
            "updated_at": a.updated_at.astimezone(tz).isoformat() if a.updated_at else "",
            "updated_by": names.get(a.updated_by or 0, ""),
        })
    return rows


def to_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)


def to_csv(rows: list[dict[str, Any]], bom: bool = True) -> str:
    """CSV (RFC 4180) with a UTF-8 byte order mark for files (so Excel on Windows reads the
    diacritics), text cells neutralised against formula injection. Write it with
    encoding="utf-8"; *bom* False for a terminal or a pipe."""
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\r\n")  # RFC 4180
    writer.writeheader()
    writer.writerows({k: neutral(v) for k, v in row.items()} for row in rows)
    return out.getvalue()
