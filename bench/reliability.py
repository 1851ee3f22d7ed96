"""`python3 -m bench.reliability [--lock 95] [--rows 100000] [--write docs/reliability.md]`:
the fault figures of docs/reliability.md, each produced by running `nhacviec run` itself
(separate processes, SQLite in a temporary directory) against the fake Bot API servers.

    SIGKILL mid-send     lost, duplicated vs in flight, seconds to drain after the restart
    database lock        updates lost while another writer holds SQLite's lock for --lock s
    429 storm            429s per 100 messages, one process and two on one token
    hung server          duplicates when the API stops answering for 30 s
    big import           peak memory of `nhacviec import-units` with --rows contacts, and the
                         running service's reply p99 meanwhile
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import os
import platform
import resource
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from storage.contacts import contacts
from storage.db import make_engine, session_scope, upgrade
from storage.files.plan import default_plan
from storage.files.roster import DEFAULT_UNITS, read_units
from storage.imports import save_plan, save_units
from storage.outbox import NewMessage, queue
from tests.fakes.telegram_api import FakeTelegram

ROOT = Path(__file__).resolve().parents[1]


def fresh_db(path: Path, messages: int = 0) -> str:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        save_units(session, read_units(DEFAULT_UNITS))
        save_plan(session, default_plan())
        contact = next(c for c, _ in contacts(session))
        queue(session, [NewMessage(key=f"r{i}", kind="digest", contact_id=contact.id or 0,
                                   channel="telegram", chat_id=str(10_000 + i),
                                   text=f"tin số {i}") for i in range(messages)],
              now=datetime.now(UTC))
    engine.dispose()
    return url


async def run(url: str, fake: FakeTelegram) -> asyncio.subprocess.Process:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": url,
           "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_URL": fake.api_url,
           "WEB_PORT": "0", "TICK_SECONDS": "1", "SEND_TIME": "23:59"}
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)


async def until(condition: Callable[[], bool], timeout: float) -> float:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise TimeoutError
        await asyncio.sleep(0.01)
    return time.monotonic() - start


async def stop(*procs: asyncio.subprocess.Process) -> None:
    for proc in procs:
        if proc.returncode is None:
            proc.terminate()
    for proc in procs:
        await proc.wait()


def answered_after(fake: FakeTelegram, before: int) -> bool:
    return len(fake.sent()) > before


def reminders(fake: FakeTelegram) -> Counter[str]:
    return Counter(m["text"] for m in fake.sent() if m["text"].startswith("tin số"))


async def sigkill(work: Path, n: int = 300) -> dict[str, float]:
    url = fresh_db(work / "kill.db", n)
    fake = await FakeTelegram(delay=0.2).start()
    first = await run(url, fake)
    await until(lambda: len(reminders(fake)) >= n // 4 and fake.in_flight > 0, 120)
    killed_at = time.monotonic()
    in_flight = fake.in_flight + sum(t > killed_at - 0.5 for t in fake.answered_at)
    first.kill()
    await first.wait()
    second = await run(url, fake)
    drain = await until(lambda: len(reminders(fake)) >= n, 300)
    await asyncio.sleep(1)
    await stop(second)
    await fake.stop()
    counts = reminders(fake)
    return {"messages": n, "lost": n - len(counts), "in flight": in_flight,
            "duplicated": sum(c - 1 for c in counts.values()), "drain s": drain}


async def db_lock(work: Path, seconds: float) -> dict[str, float]:
    url = fresh_db(work / "lock.db")
    fake = await FakeTelegram().start()
    proc = await run(url, fake)
    fake.message(1, "chào")
    await until(lambda: len(fake.sent()) >= 1, 60)
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        db = sqlite3.connect(url.removeprefix("sqlite:///"))
        db.execute("BEGIN IMMEDIATE")
        locked.set()
        release.wait()
        db.rollback()
        db.close()

    holder = threading.Thread(target=hold)
    holder.start()
    locked.wait()
    for chat in (2, 3, 4):
        fake.message(chat, "chào")
    polls_before = fake.polls
    await asyncio.sleep(seconds)
    polling_went_on = fake.polls - polls_before
    answered_during = len(fake.sent()) - 1
    release.set()
    holder.join()
    after = await until(lambda: len(fake.sent()) >= 4, 120)
    answers = [m["text"] for m in fake.sent()[1:]]
    await stop(proc)
    await fake.stop()
    return {"lock s": seconds, "updates": 3, "answered during the lock": answered_during,
            "lost": 3 - sum("chưa được liên kết" in a for a in answers),
            "getUpdates calls during the lock": polling_went_on,
            "s to answer all after the lock": after}


async def storm(work: Path, n: int, processes: int) -> dict[str, float]:
    url = fresh_db(work / f"storm{processes}.db", n)
    fake = await FakeTelegram(rate_limit=10).start()
    procs = [await run(url, fake) for _ in range(processes)]
    took = await until(lambda: len(reminders(fake)) >= n, 600)
    await stop(*procs)
    await fake.stop()
    return {"messages": n, "processes": processes, "429s": fake.rate_limited,
            "429s per 100": 100 * fake.rate_limited / n, "s": took}


async def hung(work: Path, n: int = 40, hang: float = 30.0) -> dict[str, float]:
    url = fresh_db(work / "hung.db", n)
    fake = await FakeTelegram(delay=hang).start()  # accepts, then answers only after 30 s
    proc = await run(url, fake)
    await asyncio.sleep(hang)
    fake.delay = 0.0
    took = await until(lambda: len(reminders(fake)) >= n, 300)
    await asyncio.sleep(2)
    await stop(proc)
    await fake.stop()
    counts = reminders(fake)
    return {"messages": n, "hang s": hang, "lost": n - len(counts),
            "duplicated": sum(c - 1 for c in counts.values()), "s after the hang": took}


def roster(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["unit_code", "unit_name", "unit_kind", "ward", "contact_name", "role",
                      "phone"])
        for i in range(rows):
            unit = i // 5
            out.writerow([f"TH-B{unit:05d}", f"Trường Tiểu học Số {unit}", "TH",
                          f"Phường {unit % 40}",
                          f"Người Liên Hệ {i}", "principal" if i % 5 == 0 else "staff",
                          f"09{i:08d}"])


async def replies(fake: FakeTelegram, chats: Iterator[int],
                  going: Callable[[list[float]], bool]) -> list[float]:
    """Seconds to each answer, a message every 100 ms (one at a time) while *going*."""
    latencies: list[float] = []
    while going(latencies):
        before = len(fake.sent())
        t = time.monotonic()
        fake.message(next(chats), "chào")
        with contextlib.suppress(TimeoutError):
            await until(partial(answered_after, fake, before), 120)
        latencies.append(time.monotonic() - t)
        await asyncio.sleep(max(0.0, 0.1 - (time.monotonic() - t)))
    return latencies


async def big_import(work: Path, rows: int) -> dict[str, float]:
    url = fresh_db(work / "import.db")
    file = work / "roster.csv"
    roster(file, rows)
    fake = await FakeTelegram().start()
    proc = await run(url, fake)
    fake.message(1, "chào")
    await until(lambda: len(fake.sent()) >= 1, 60)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": url}
    chats = iter(range(100, 10**6))
    idle = await replies(fake, chats, lambda done: len(done) < 30)  # no import: the baseline
    started = time.monotonic()
    importer = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "import-units", str(file), cwd=ROOT, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    finished = asyncio.create_task(importer.wait())
    latencies = await replies(fake, chats, lambda _: not finished.done())
    took = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child
    await stop(proc)
    await fake.stop()
    latencies.sort()
    return {"rows": rows, "exit code": importer.returncode or 0, "import s": took,
            "peak MB (largest child)": peak,
            "reply p50 s without import": statistics.median(idle),
            "reply max s without import": max(idle), "replies meanwhile": len(latencies),
            "reply p50 s": statistics.median(latencies),
            "reply p99 s": latencies[min(len(latencies) - 1, int(len(latencies) * .99))]}


def table(name: str, figures: dict[str, float]) -> str:
    cells = " · ".join(f"{k}: {v:.2f}" if isinstance(v, float) and not v.is_integer()
                       else f"{k}: {int(v)}" for k, v in figures.items())
    return f"| {name} | {cells} |"


async def main_async(lock: float, rows: int, only: str | None = None) -> list[str]:
    work = Path(tempfile.mkdtemp(prefix="nhacviec-reliability-"))
    lines = ["| fault | figures |", "|---|---|"]
    jobs = {"sigkill": ("SIGKILL mid-send", partial(sigkill, work)),
            "lock": (f"database locked {lock:.0f} s", partial(db_lock, work, lock)),
            "storm": ("429 storm, one process (API allows 10/s)", partial(storm, work, 200, 1)),
            "storm2": ("429 storm, two processes on one token", partial(storm, work, 600, 2)),
            "hung": ("API hung for 30 s", partial(hung, work)),
            "import": (f"roster import, {rows:,} rows", partial(big_import, work, rows))}
    for key, (name, job) in jobs.items():
        if only and key != only:
            continue
        figures = await job()
        lines.append(table(name, figures))
        print(lines[-1], flush=True)
    return lines


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--lock", type=float, default=95.0, help="seconds the database is locked")
    args.add_argument("--rows", type=int, default=100_000, help="roster rows to import")
    args.add_argument("--write", help="write the figures into this Markdown file")
    args.add_argument("--only", choices=("sigkill", "lock", "storm", "storm2", "hung", "import"),
                      help="run this one row (printed, not written)")
    opts = args.parse_args()
    lines = asyncio.run(main_async(opts.lock, opts.rows, opts.only))
    if opts.only:
        return
    if opts.write:
        stamp = (f"{datetime.now():%Y-%m-%d %H:%M}, {platform.machine()}, {os.cpu_count()} "
                 f"cores, load average {os.getloadavg()[1]:.1f} over the last 5 min")
        Path(opts.write).write_text(
            "# Reliability\n\nMeasured with `python3 -m bench.reliability --write "
            f"docs/reliability.md` ({stamp}). Every row runs `nhacviec run` itself, in "
            "separate processes, on SQLite, against the fake Bot API of tests/fakes.\n\n"
            + "\n".join(lines) + "\n\n" + NOTES, encoding="utf-8")


NOTES = """What the figures mean:

- *in flight*: sends on the wire when the process was killed, or answered by the API in
  the last 0.5 s before it (their outcome not yet committed). *duplicated* must not exceed
  it. *drain s*: from the restart until every message was delivered; it includes the
  30 s lease of the messages the dead process had claimed.
- *database locked*: another connection holds SQLite's write lock (`BEGIN IMMEDIATE`) for
  the whole time; updates arrive meanwhile. Polling goes on (getUpdates calls), nothing is
  acknowledged before it is stored, and every update gets its real answer after the lock.
- *429 storm*: the fake API allows 10 messages a second and answers 429 with
  `retry_after: 1` beyond; a 429 pauses every send to the channel, in every process
  (the pause is stored in the database).
- *API hung*: the API accepts requests and answers none for 30 s (read timeout 10 s); a
  timeout pauses the channel for 5 s. Messages that timed out may have been delivered:
  those are the duplicates.
- *roster import*: `nhacviec import-units` in its own process while the service answers a
  message every 100 ms (one at a time; first 30 without the import: the baseline); peak
  memory is the largest child process's maximum resident set. The import works out every
  row by reads alone and stages the big row sets in SQLite TEMP tables (no lock on the
  database), then writes them in one short transaction (INSERT … SELECT): only that
  transaction holds the write lock the service's inbox waits on. `--only import` runs
  this row alone.
"""


if __name__ == "__main__":
    main()
