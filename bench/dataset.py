"""A large office, built through the public import functions: N schools, each with a linked
principal, and a plan of 25 tasks every school owes."""

from __future__ import annotations

import csv
import os
import time
from pathlib import Path

import yaml
from sqlalchemy import Engine

from storage.db import make_engine, session_scope, upgrade
from storage.files.plan import read_plan
from storage.files.roster import read_units
from storage.imports import save_plan, save_units

KINDS = ["MN", "TH", "THCS", "PT"]
DEADLINES = ["Tháng 1, 2", "Quý I năm 2024", "Thực hiện quý 2 năm 2024", "tháng 6/2024",
             "Quý III năm 2024", "Thực hiện cả năm 2024"]


def write_plan(path: Path, tasks: int = 25) -> Path:
    areas = []
    for a in range(1, 6):
        areas.append({"number": a, "title": f"Lĩnh vực {a}", "tasks": [
            {"code": f"{a}.{t}", "content": f"Nhiệm vụ {a}.{t} của kế hoạch thử tải",
             "units": "Phòng GD&ĐT, các trường MN, TH, THCS", "product": "Văn bản",
             "deadline": DEADLINES[(a * 5 + t) % len(DEADLINES)]}
            for t in range(1, tasks // 5 + 1)]})
    plan = {"plan": {"issuer": "Sở Giáo dục và Đào tạo thử tải", "number": "01/KH-TT",
                     "title": "Kế hoạch thử tải năm 2024", "year": 2024}, "areas": areas}
    path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    return path


def write_units(path: Path, schools: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["unit_code", "unit_name", "unit_kind", "ward", "contact_name", "role",
                    "phone", "telegram", "aliases"])
        w.writerow(["PGD", "Phòng thử tải", "office", "", "Chuyên viên thử", "staff",
                    "0910000000", "900000000", "Phòng GD&ĐT"])  # how the plan names it
        for i in range(schools):
            kind = KINDS[i % 4]
            w.writerow([f"{kind}-S{i:05d}", f"Trường {kind} số {i}", kind, f"Phường {i % 97}",
                        f"Hiệu trưởng {i}", "principal", f"09{20000000 + i:08d}",
                        str(100000000 + i), ""])
    return path


def build(db_path: Path, schools: int, tasks: int = 25) -> Engine:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{db_path}")
    upgrade(engine)
    work = db_path.parent
    with session_scope(engine) as session:
        save_units(session, read_units(write_units(work / f"units-{schools}.csv", schools)))
        save_plan(session, read_plan(write_plan(work / f"plan-{tasks}.yaml", tasks)))
    return engine


def cached(schools: int, work: Path) -> tuple[Engine, float | None]:
    """The dataset, built once per size and reused by later runs (BENCH_REBUILD=1 builds it
    again); with the seconds the build took, or None when it was reused."""
    work.mkdir(parents=True, exist_ok=True)
    db = work / f"office-{schools}.db"
    if db.exists() and os.environ.get("BENCH_REBUILD") != "1":
        return make_engine(f"sqlite:///{db}"), None
    start = time.perf_counter()
    engine = build(db, schools)
    return engine, time.perf_counter() - start
