"""A city-sized office (10,000 schools × 25 tasks): planning, /baocao, the Excel file,
and the service's peak memory (measured in a fresh process)."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session

from bench.dataset import cached
from bench.result import Result
from bot.settings import Settings
from handlers.reminders.queue import dry_run, due_messages
from handlers.reports.summary import build_summary
from handlers.reports.texts import summary_text
from storage.db import make_engine, session_scope, upgrade
from storage.models import Plan
from storage.plans import active_plan

CONFIG = Settings.defaults().config()
TZ = CONFIG.tz
HEAVY_DAY = date(2024, 6, 24)  # half-year report day: every school has reminders


def timed(fn):  # noqa: ANN001, ANN201
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def report(session: Session, plan: Plan, xlsx: Path, out: dict[str, float]) -> None:
    """/baocao and its Excel file, as one request: nothing of it outlives the answer."""
    build_summary(session, plan, date(2024, 4, 2), CONFIG)  # warm
    summary, out["summary_s"] = timed(lambda: build_summary(
        session, plan, date(2024, 4, 2), CONFIG))
    _, out["summary_text_s"] = timed(lambda: summary_text(summary))
    from handlers.reports.xlsx import write_xlsx  # openpyxl: measured apart, after the rest

    _, out["xlsx_s"] = timed(lambda: write_xlsx(summary, xlsx))


def measure(db: Path, schools: int) -> dict[str, float]:
    """Run in a fresh process: the figures, and the process's peak memory."""
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    out: dict[str, float] = {}
    with session_scope(engine) as session:
        due_messages(session, datetime(2024, 3, 22, 7, 30, tzinfo=TZ), CONFIG.rules,
                     since=date(2024, 3, 21))  # warm: holidays, Babel, caches
        (messages, _), out["plan_s"] = timed(lambda: due_messages(
            session, datetime.combine(HEAVY_DAY, datetime.min.time(), TZ).replace(hour=7,
                                                                                  minute=30),
            CONFIG.rules, since=date(2024, 6, 23)))
        out["digests"] = len(messages)
        del messages  # queued and dropped, as the service does
        plan = active_plan(session)
        assert plan is not None
        report(session, plan, db.parent / "big.xlsx", out)  # its objects go when it returns
        days, out["year_s"] = timed(lambda: dry_run(session, date(2024, 1, 1),
                                                    date(2024, 12, 31), CONFIG.rules))
        out["year_digests"] = sum(n for _, n in days)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def run(work: Path, schools: int = 10_000) -> list[Result]:
    engine, build_s = cached(schools, work)
    db = Path(engine.url.database or "")
    proc = subprocess.run([sys.executable, "-c",
                           "import json, sys; from pathlib import Path; "
                           "from bench.scale import measure; "
                           f"print(json.dumps(measure(Path({str(db)!r}), {schools})))"],
                          capture_output=True, text=True, check=True)
    m = json.loads(proc.stdout.strip().splitlines()[-1])
    size = f"{schools:,} schools × 25 tasks"
    built = [Result(f"import roster and plan through the public functions ({size})", build_s,
                    "s")] if build_s is not None else []
    return built + [
        Result(f"plan one send time, heaviest day ({size}, {int(m['digests']):,} digests)",
               m["plan_s"], "s", "≤ 1 s", m["plan_s"] <= 1.0),
        Result(f"dry run of the whole year ({int(m['year_digests']):,} digests)", m["year_s"],
               "s", "≤ 60 s", m["year_s"] <= 60),
        Result(f"/baocao summary ({size})", m["summary_s"] * 1000, "ms", "≤ 300 ms",
               m["summary_s"] <= 0.3, f"text {m['summary_text_s'] * 1000:.0f} ms more"),
        Result(f"Excel report ({size})", m["xlsx_s"], "s", "≤ 10 s", m["xlsx_s"] <= 10),
        Result("peak memory of a process doing all of the above", m["peak_mb"], "MB",
               "≤ 300 MB", m["peak_mb"] <= 300),
    ]
