"""Report files on demand: Excel, chart, Word, JSON — for chat and for the CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlmodel import Session

from handlers.config import Config
from handlers.reports.summary import Summary, build_summary
from handlers.reports.tally import Counts
from storage.plans import active_plan

NAMES = {"xlsx": "bao-cao", "docx": "bao-cao", "png": "bieu-do", "json": "bao-cao"}


def summary_json(s: Summary) -> str:
    data = {
        "plan": s.plan.number, "as_of": s.today.isoformat(),
        "overall": _counts(s.overall),
        "areas": [{"number": a.number, "title": a.title, **_counts(c)} for a, c in s.by_area],
        "units": [{"code": u.code, "name": u.name, "kind": u.kind.value, **_counts(c),
                   "overdue": o} for u, c, o in s.by_unit],
        "unanswered": [u.code for u in s.unanswered],
        "period": s.period.code if s.period else None,
        "submitted": [u.code for u in s.submitted], "missing": [u.code for u in s.missing],
        "targets": {"due": s.due_by_now, "on_time": s.on_time_due,
                    "schools": s.schools, "inspected": s.inspected},
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _counts(c: Counts) -> dict[str, int]:
    return {"total": c.total, "done": c.done, "on_time": c.on_time, "late": c.late,
            "pending": c.pending, "overdue": c.overdue, "percent": c.percent}


def render(s: Summary, fmt: str, config: Config,
           path: Path | None = None) -> Path:
    """Write *s* as *fmt* to *path* (default: a fresh file in config.files_dir)."""
    if path is None:
        config.files_dir.mkdir(parents=True, exist_ok=True)
        stamp = f"{s.today:%Y%m%d}"
        suffix = f"-{s.period.code}" if s.period and s.period.periodic else ""
        path = config.files_dir / f"{NAMES[fmt]}-{stamp}{suffix}.{fmt}"
    if fmt == "xlsx":
        from handlers.reports.xlsx import write_xlsx  # openpyxl: heavy, only when asked

        return write_xlsx(s, path)
    if fmt == "docx":
        from handlers.reports.docx import write_docx  # python-docx: heavy, only when asked

        return write_docx(s, path)
    if fmt == "png":
        from handlers.reports.chart import write_png  # matplotlib: heavy, only when asked

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
