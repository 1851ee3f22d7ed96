"""`python3 -m bench [--write docs/benchmarks.md] [--schools N]`: run every benchmark and
print one table."""

from __future__ import annotations

import argparse
import logging
import os
import platform
import tempfile
from datetime import datetime
from pathlib import Path

from bench import outbox, planimport, replies, scale, web
from bench.result import Result

HEADER = ["| benchmark | measured | target | | note |", "|---|---|---|---|---|"]


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--write", help="also write the table into this Markdown file")
    args.add_argument("--schools", type=int, default=10_000)
    opts = args.parse_args()
    logging.disable(logging.WARNING)
    work = Path(os.environ.get("BENCH_DIR", Path(tempfile.gettempdir()) / "nhacviec-bench"))
    work.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []
    for part in (replies.run, outbox.run, planimport.run):
        results += part(work)
    results += scale.run(work, opts.schools)
    results += web.run(work)
    lines = HEADER + [r.row() for r in results]
    table = "\n".join(lines)
    print(table)
    if opts.write:
        stamp = f"{datetime.now():%Y-%m-%d %H:%M}, {platform.machine()}, {os.cpu_count()} cores"
        Path(opts.write).write_text(
            "# Benchmarks\n\nMeasured with `python3 -m bench --write docs/benchmarks.md` "
            f"({stamp}).\n\n{table}\n", encoding="utf-8")


if __name__ == "__main__":
    main()
