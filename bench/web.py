"""The web view's matrix at scale, served over HTTP by the real application.

- 2,000 schools × 60 tasks (120,000 assignments, 40% of them done): the matrix page a staff
  member opens (one page of 50 schools, every task, totals over all 2,000) in ≤ 1 s; and,
  for comparison, the whole 120,000-cell matrix built and rendered in one piece.
- 10,000 schools × 25 tasks: the first and the last page, and a verdict filter — the
  server pages, it never sends 250,000 cells; the report submission board likewise pages.

`python3 -m bench.web` runs only these (`python3 -m bench` runs them with the rest)."""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import Engine, text

from bench.dataset import build, cached
from bench.result import Result
from bot.settings import Settings
from bot.web import build_app
from bot.web.app import WebView
from handlers.config import Config
from handlers.core import Core
from handlers.reports.web import Filters, build_matrix
from handlers.web_links import person_url
from storage.contacts import contacts
from storage.db import make_engine, session_scope
from storage.models import Role
from storage.plans import active_plan

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2024, 9, 20, 9, 0, tzinfo=TZ)
TARGET_S = 1.0


def dataset(work: Path, schools: int, tasks: int) -> Engine:
    """*schools* × *tasks*, with two in five assignments done (some late), built once."""
    db = work / f"web-{schools}x{tasks}.db"
    if db.exists() and os.environ.get("BENCH_REBUILD") != "1":
        return make_engine(f"sqlite:///{db}")
    engine = build(db, schools, tasks)
    with engine.begin() as c:
        c.execute(text("UPDATE assignment SET state = 'DONE', percent = 100, "
                       "completed_on = CASE WHEN id % 10 = 0 THEN '2024-12-30' "
                       "ELSE '2024-01-15' END WHERE id % 5 < 2"))
    return engine


def staff_link(engine: Engine, config: Config) -> str:
    with session_scope(engine) as session:
        staff = next(c for c, _ in contacts(session) if c.role == Role.STAFF)
        return person_url(session, config, staff.id or 0, NOW)[0].removeprefix(config.web_url)


async def served(engine: Engine, config: Config, paths: list[str], repeat: int = 5
                 ) -> list[tuple[float, int, int]]:
    """(median seconds, bytes, cells sent) per path, through the real app over loopback
    HTTP."""
    app = build_app(engine, Core(engine, config), config)
    out = []
    async with TestClient(TestServer(app)) as client:
        assert (await client.get(staff_link(engine, config))).status == 200
        for path in paths:
            times, size, sent = [], 0, 0
            for _ in range(repeat):
                start = time.perf_counter()
                response = await client.get(path)
                body = await response.read()
                times.append(time.perf_counter() - start)
                assert response.status == 200, path
                size = len(body)
                sent = body.count(b'<td class="cell') + body.count(b'<tr><td><a href="/truong/')
            out.append((statistics.median(times), size, sent))
    return out


def whole_matrix(engine: Engine, config: Config) -> tuple[float, int]:
    """Every school on one page (not what is served; how far paging is from needed)."""
    view = WebView(engine, Core(engine, config), config)
    start = time.perf_counter()
    with session_scope(engine) as session:
        plan = active_plan(session)
        assert plan is not None
        m = build_matrix(session, plan, NOW.date(), Filters(), page_size=100_000)
    html = view.env.get_template("matrix.html").render(viewer=None, m=m, kinds=[])
    return time.perf_counter() - start, len(html.encode())


def run(work: Path) -> list[Result]:
    config = replace(Settings.defaults().config(lambda: NOW, Path(tempfile.mkdtemp(
        prefix="nhacviec-web-"))), web_url="http://bench.local")
    results = []
    mid = dataset(work, 2000, 60)
    (page, size, sent), = asyncio.run(served(mid, config, ["/bang"]))
    results.append(Result("web matrix 2,000 × 60, page of 50 schools (HTTP)", page * 1000,
                          "ms", f"≤ {TARGET_S * 1000:.0f} ms", page <= TARGET_S,
                          f"{size // 1024} KB, {sent:,} cells; totals over all 2,000"))
    whole, size = whole_matrix(mid, config)
    results.append(Result("web matrix 2,000 × 60, all 120,000 cells built + rendered",
                          whole * 1000, "ms", "", None,
                          f"{size // 1024 // 1024} MB of HTML: why it pages"))
    big, _ = cached(10_000, work)
    paths = ["/bang", "/bang?page=101", "/bang?verdict=overdue&kind=TH"]
    for path, (seconds, size, sent) in zip(paths, asyncio.run(served(big, config, paths)),
                                           strict=True):
        results.append(Result(f"web matrix 10,000 × 25, {path} (HTTP)", seconds * 1000, "ms",
                              "pages: not 250,000 cells", sent <= 50 * 25,
                              f"{size // 1024} KB, {sent:,} cells sent"))
    (seconds, size, sent), = asyncio.run(served(big, config, ["/nop-bao-cao?period=Q1"]))
    results.append(Result("web report board 10,000 schools, /nop-bao-cao?period=Q1 (HTTP)",
                          seconds * 1000, "ms", "pages: not 10,000 rows", sent <= 50,
                          f"{size // 1024} KB, {sent:,} school rows sent"))
    return results


def main() -> None:
    work = Path(os.environ.get("BENCH_DIR", Path(tempfile.gettempdir()) / "nhacviec-bench"))
    work.mkdir(parents=True, exist_ok=True)
    for r in run(work):
        print(r.row())


if __name__ == "__main__":
    main()
