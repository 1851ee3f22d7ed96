"""Report files on demand: Excel, chart, Word, JSON — for chat and for the CLI. Every file
renders one snapshot; file names carry the day and the report's name, never a code."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from handlers.config import Config
from handlers.reports.snapshot import Board, Snapshot, slug
from handlers.reports.summary import build_summary
from handlers.reports.tally import Counts
from storage.plans import active_plan

NAMES = {"xlsx": "bao-cao", "docx": "bao-cao", "png": "bieu-do", "json": "bao-cao"}


def _counts(c: Counts) -> dict[str, int]:
    return {"total": c.total, "done": c.done, "on_time": c.on_time, "late": c.late,
            "pending": c.pending, "due_today": c.due_today, "overdue": c.overdue,
            "percent": c.percent}


def _board(b: Board) -> dict[str, Any]:
    return {"code": b.code, "name": b.name, "due_on": b.due_on.isoformat(),
            "closed": b.closed,
            "submitted": [{"unit": r.unit.code, "at": r.submitted_at.isoformat(),
                           "days_late": r.days_late} for r in b.rows if r.submitted_at],
            "missing": [r.unit.code for r in b.rows if r.submitted_at is None]}


def summary_data(s: Snapshot) -> dict[str, Any]:
    """The snapshot as plain data: the JSON interface (keys documented in the README)."""
    return {
        "plan": s.plan.number, "as_of": s.today.isoformat(), "at": s.at.isoformat(),
        "overall": _counts(s.overall),
        "areas": [{"number": a.number, "title": a.title, **_counts(c)} for a, c in s.by_area],
        "units": [{"code": u.code, "name": u.name, "kind": u.kind.value, **_counts(c),
                   "overdue": o} for u, c, o in s.by_unit],
        "unanswered": [u.code for u in s.unanswered],
        "period": s.board.code if s.board else None,
        "submitted": [u.code for u in s.submitted], "missing": [u.code for u in s.missing],
        "reports": [_board(b) for b in s.boards],
        "targets": {"due": s.due_by_now, "on_time": s.on_time_due,
                    "schools": s.schools, "inspected": s.inspected},
    }


def summary_json(s: Snapshot) -> str:
    return json.dumps(summary_data(s), ensure_ascii=False, indent=2)


def file_name(s: Snapshot, fmt: str) -> str:
    """'bao-cao-20240326-bao-cao-quy-i-nam-2024.xlsx': the day, and the report's name when
    the file is about one periodic report."""
    b = s.board
    about = f"-{slug(b.name)}" if b is not None and b.periodic and s.filtered is False \
        and len(s.boards) == 1 else ""
    return f"{NAMES[fmt]}-{s.today:%Y%m%d}{about}.{fmt}"


def render(s: Snapshot, fmt: str, config: Config,
           path: Path | None = None) -> Path:
    """Write *s* as *fmt* to *path* (default: a fresh file in config.files_dir)."""
    if path is None:
        config.files_dir.mkdir(parents=True, exist_ok=True)
        path = config.files_dir / file_name(s, fmt)
    if fmt == "xlsx":
        from handlers.reports.xlsx import write_xlsx

        return write_xlsx(s, path)
    if fmt == "docx":
        from handlers.reports.docx import write_docx

        return write_docx(s, path)
    if fmt == "png":
        from handlers.reports.chart import write_png

        return write_png(s, path)
    if fmt == "json":
        path.write_text(summary_json(s), encoding="utf-8")
        return path
    raise ValueError(f"unknown report format {fmt}")


def write_all(session: Session, out_dir: Path, as_of: date, config: Config) -> list[Path]:
    """The year's files: Excel, chart and Word report (the demo's last step)."""
    plan = active_plan(session)
    if plan is None:
        return []
    s = build_summary(session, plan, as_of, config)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [render(s, fmt, config, out_dir / f"{NAMES[fmt]}-{plan.year}.{fmt}")
            for fmt in ("xlsx", "png", "docx")]
