"""Importing an office's own plan file at Sở scale: a Word-style Excel appendix of 60
tasks (Roman areas, tasks numbered straight through, lead and partner columns naming
groups, departments and single schools by name) against a roster of 2,000 units.
Measured: read + resolve every phrase + write + fan out, on a fresh database.

`python3 -m bench.planimport` runs it alone."""

from __future__ import annotations

import csv
import tempfile
import time
from pathlib import Path

from bench.result import Result
from storage.db import make_engine, session_scope, upgrade
from storage.files.roster import read_units
from storage.imports import save_units
from storage.planimport import import_plan

UNITS = 2_000
TASKS = 60
TARGET_S = 10.0
DEPARTMENTS = ["Văn phòng Sở", "Phòng Kế hoạch - Tài chính", "Phòng Giáo dục Trung học",
               "Phòng Giáo dục Tiểu học", "Phòng Giáo dục Mầm non", "Thanh tra Sở"]
LEVELS = [("MN", "Trường Mầm non"), ("TH", "Trường Tiểu học"), ("THCS", "Trường THCS"),
          ("THPT", "Trường THPT"), ("PT", "Trường PTDTBT TH&THCS")]
PLACES = ["Bản Máy", "Sa Pa", "Bắc Hà", "Mường Khương", "Bát Xát", "Văn Bàn", "Bảo Yên",
          "Si Ma Cai", "Cam Đường", "Cốc Lếu"]
DEADLINES = ["01-12/4/2025", "27/4 - 19/5/2025", "6/2025", "Quý III/2025", "Tháng 10/2025",
             "Nhiệm vụ thường xuyên", "Theo kế hoạch của Bộ", "2026"]


def write_roster(path: Path) -> list[str]:
    """A Sở: itself, its departments, and schools of every level; the school names."""
    names: list[str] = []
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["unit_code", "unit_name", "unit_kind", "groups"])
        out.writerow(["SO", "Sở Giáo dục và Đào tạo tỉnh Lào Cai", "office", ""])
        for i, name in enumerate(DEPARTMENTS):
            out.writerow([f"P-{i}", name, "office", "Phòng chuyên môn"])
        for i in range(UNITS - 1 - len(DEPARTMENTS)):
            kind, prefix = LEVELS[i % len(LEVELS)]
            name = f"{prefix} {PLACES[i // len(LEVELS) % len(PLACES)]} số {i}"
            names.append(name)
            out.writerow([f"{kind}-{i}", name, kind, f"Cụm {i % 12 + 1}"])
    return names


def write_plan(path: Path, schools: list[str]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(["SỞ GIÁO DỤC VÀ ĐÀO TẠO"])
    sheet.append(["KẾ HOẠCH THỰC HIỆN NHIỆM VỤ NĂM 2025"])
    sheet.append(["TT", "Tên nhiệm vụ", "Cơ quan\nchủ trì", "Đơn vị\nphối hợp",
                  "Thời gian\nhoàn thành", "Ghi chú"])
    roman = ["I", "II", "III", "IV", "V", "VI"]
    for t in range(TASKS):
        if t % 10 == 0:
            sheet.append([roman[t // 10], f"LĨNH VỰC {t // 10 + 1}"])
        lead = ["Các trường MN, TH, THCS", "Các trường THPT", DEPARTMENTS[t % 6],
                schools[t * 7 % len(schools)], "Sở GD&ĐT", "Cụm 3"][t % 6]
        partners = f"{DEPARTMENTS[(t + 1) % 6]}; {schools[t * 13 % len(schools)]}"
        sheet.append([f"{t + 1}.", f"Nhiệm vụ thử tải số {t + 1}", lead, partners,
                      DEADLINES[t % len(DEADLINES)], ""])
    book.save(path)


def run(work: Path) -> list[Result]:
    roster, plan = work / "roster-2000.csv", work / "plan-60.xlsx"
    write_plan(plan, write_roster(roster))
    db = work / "planimport.db"
    db.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    with session_scope(engine) as session:
        save_units(session, read_units(roster))
    start = time.perf_counter()
    with session_scope(engine) as session:
        _, summary = import_plan(session, plan)
    seconds = time.perf_counter() - start
    engine.dispose()
    return [Result(f"import a {TASKS}-task Excel plan for {UNITS:,} units (read, resolve, "
                   "write, fan out)", seconds, "s", f"≤ {TARGET_S:.0f} s", seconds <= TARGET_S,
                   f"{summary.assignments_added:,} assignments")]


if __name__ == "__main__":
    for result in run(Path(tempfile.mkdtemp(prefix="nhacviec-bench-"))):
        print(result.row())
