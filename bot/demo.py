"""`nhacviec demo`: the 2024 plan year on a simulated clock, in a minute or less.

Every working day at the send time the real planner queues digests and the real sender delivers
them through the memory transport; simulated principals answer with short, realistic
replies through the real conversation core (some on time, some late, some blocked, some
never); staff read `/baocao` at each report date; the year ends with the summary and the
report files in ./out/.
"""

from __future__ import annotations

import asyncio
import random
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TextIO

from sqlalchemy import Engine

from bot.sender import Sender
from bot.settings import Settings
from bot.transports.memory import MemoryTransport
from handlers.core import Core
from handlers.dates import day_long, day_short
from handlers.messages import Incoming
from handlers.reminders.queue import plan_and_queue
from handlers.reports.files import write_all
from handlers.reports.summary import build_summary
from handlers.reports.texts import summary_text
from handlers.workdays import is_workday
from storage.contacts import contacts
from storage.db import make_engine, session_scope, upgrade
from storage.export import export_rows, to_csv, to_json
from storage.files.plan import default_plan
from storage.files.roster import DEFAULT_UNITS, read_units
from storage.imports import link_identity, save_plan, save_units
from storage.models import DueKind, Outbox, Role, Unit
from storage.outbox import sent_since
from storage.periods import periods_of
from storage.plans import active_plan, tasks_of

FEATURED = "TH-CATBI"
FULL = 2  # the featured school's first digests shown whole (then one line each)
GIST = 120  # characters of a one-line answer
# staff commands on given days: inspections (the plan's target line), a reminder, a closing
STAFF_DAYS = {
    date(2024, 3, 12): ["/kiemtra TH-CATBI 12/3", "/kiemtra MN-CATBI 12/3"],
    date(2024, 3, 26): ["/nhacnho TH-DANGHAI"],
    date(2024, 4, 16): ["/kiemtra THCS-CATBI", "/kiemtra PT-HAIAN"],
    date(2024, 5, 14): ["/kiemtra MN-DANGHAI", "/kiemtra TH-NAMHAI"],
    date(2024, 7, 1): ["/dongky 6 thang"],
    date(2024, 10, 15): ["/kiemtra THCS-DANGLAM", "/kiemtra MN-THANHTO"],
    date(2024, 11, 12): ["/kiemtra TH-TRANGCAT"],
}
PERSONAS = ["chăm chỉ"] * 10 + ["chậm"] * 6 + ["khó khăn"] * 4 + ["im lặng"] * 5
DONE_PHRASES = ["xong {c}", "Dạ trường em đã hoàn thành {c} ạ", "hoan thanh {c}",
                "{c} xong rồi ạ", "ok {c}", "✅ {c}", "da xong {c} a"]
PROGRESS_PHRASES = ["{c} đang làm {p}%", "{c} dang thuc hien {p}%", "{c} được {p}% ạ"]
REPORT_NAMES = {"Q1": "quý I", "H1": "6 tháng", "Q3": "quý III", "Y": "năm"}
BLOCKED_REASONS = ["chưa bố trí được kinh phí", "thiếu người phụ trách CNTT",
                   "đang chờ hướng dẫn của Phòng"]


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Principal:
    contact_id: int
    unit: Unit
    persona: str
    chat_id: str
    blocked: dict[str, int] = field(default_factory=dict)  # code → notices seen since
    progress: int = 0


class Demo:
    def __init__(self, out: TextIO, out_dir: Path, show_all: bool, seed: int = 2024) -> None:
        self.out, self.out_dir, self.show_all = out, out_dir, show_all
        self.rng = random.Random(seed)
        self.clock = Clock(datetime(2024, 1, 1))
        self.config = Settings.defaults().config(clock=self.clock)
        self.tz = self.config.tz
        self.clock.now = self.clock.now.replace(tzinfo=self.tz)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        db = self.out_dir / "demo.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        self.engine: Engine = make_engine(f"sqlite:///{db}")
        upgrade(self.engine)
        self.core = Core(self.engine, self.config)
        self.transport = MemoryTransport("console")
        self.sender = Sender(self.engine, {"console": self.transport}, self.clock)
        self.principals: dict[str, Principal] = {}
        self.staff_chat = ""
        self.replies = 0
        self.featured_shown = self.reports_shown = 0
        self.weekly_shown = False

    def write(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def setup(self) -> None:
        with session_scope(self.engine) as session:
            save_units(session, read_units(DEFAULT_UNITS))
            save_plan(session, default_plan())
            personas = PERSONAS[:]
            self.rng.shuffle(personas)
            for contact, unit in contacts(session):
                chat_id = f"demo-{contact.id}"
                link_identity(session, contact_id=contact.id or 0, channel="console",
                              chat_id=chat_id)
                if contact.role == Role.PRINCIPAL:
                    persona = "chậm" if unit.code == FEATURED else personas.pop()
                    self.principals[chat_id] = Principal(contact.id or 0, unit, persona,
                                                         chat_id)
                elif contact.role == Role.STAFF and not self.staff_chat:
                    self.staff_chat = chat_id  # staff answer for the office's own tasks
                    self.principals[chat_id] = Principal(contact.id or 0, unit, "chăm chỉ",
                                                         chat_id)
            plan = active_plan(session)
            assert plan is not None
            self.plan = plan
            self.periods = periods_of(session, plan_id=plan.id or 0)
            self.report_dues = {p.code: p.due_on for p in self.periods}
            self.tasks = {t.code: (t.due_on, t.due_kind != DueKind.BY_DATE)
                          for t in tasks_of(session, plan_id=plan.id or 0)}
        featured = next(p for p in self.principals.values() if p.unit.code == FEATURED)
        self.write(f"MÔ PHỎNG NĂM KẾ HOẠCH {self.plan.year}: {self.plan.title}")
        self.write(f"{len(self.principals) - 1} trường; hiển thị tin của "
                   f"{featured.unit.name} (kiểu “{featured.persona}”) và của chuyên viên "
                   "Phòng GD&ĐT.")
        self.write("")

    def run(self) -> None:
        self.setup()
        day = date(self.plan.year, 1, 1)
        report_days = {p.due_on for p in self.periods if p.periodic}
        while day.year == self.plan.year:
            if is_workday(day):
                self.working_day(day, day in report_days or
                                 (not is_workday(day + timedelta(1)) and
                                  any(day < d <= day + timedelta(3) and not is_workday(d)
                                      for d in report_days)))
            day += timedelta(days=1)
        self.finish()

    def working_day(self, day: date, report_day: bool) -> None:
        self.clock.now = datetime.combine(day, self.config.send_time, tzinfo=self.tz)
        with session_scope(self.engine) as session:
            plan_and_queue(session, self.clock.now, self.config.rules)
        asyncio.run(self.sender.drain())
        with session_scope(self.engine) as session:
            delivered = sent_since(session, since=self.clock.now - timedelta(minutes=1))
        if delivered and self.show_all:
            self.write(f"═══ {self.config.send_time:%H:%M} {day_long(day)}: gửi {len(delivered)} "
                       "tin nhắc ═══")
        for row in delivered:
            self.deliver(row, day)
        for command in STAFF_DAYS.get(day, []):
            self.staff_says(day, command)
        if report_day:
            self.staff_report(day)

    def staff_says(self, day: date, text: str) -> None:
        self.clock.now = datetime.combine(day, time(15, 0), tzinfo=self.tz)
        reply = self.core.handle(Incoming("console", self.staff_chat, text))
        self.write(f"── {day_short(day)}, chuyên viên gõ: {text}")
        for m in reply:
            self.write("   " + m.text.replace("\n", "\n   "))

    def deliver(self, row: Outbox, day: date) -> None:
        principal = self.principals.get(row.chat_id)
        featured = principal is not None and principal.unit.code == FEATURED
        staff = row.chat_id == self.staff_chat
        weekly = staff and "TỔNG HỢP HẰNG TUẦN" in row.text
        show = self.show_all or (featured and self.featured_shown < FULL)
        if featured:
            self.featured_shown += 1
        if show or (weekly and not self.weekly_shown):
            lines = row.text.split("\n")
            if weekly and not self.show_all:  # the first weekly digest, shortened
                self.weekly_shown = True
                cut = lines.index(next(ln for ln in lines if ln.startswith("TỔNG HỢP HẰNG")))
                more = sum(1 for ln in lines[cut + 9:] if ln.startswith("• "))
                lines = lines[cut:cut + 9] + ([f"   … và {more} trường khác"] if more else []) + [
                    ln for ln in lines if ln.startswith(("So với tuần trước",
                                                         "Chưa liên lạc được"))]
                self.write(f"── {day_short(day)}, chuyên viên nhận bản tổng hợp hằng tuần:")
            elif show:
                self.write(f"── {day_short(day)} {self.config.send_time:%H:%M}, "
                           f"{row.chat_id == self.staff_chat and 'chuyên viên' or 'hiệu trưởng'}"
                           " nhận:")
            self.write("\n".join(ln for ln in lines))
        if principal is None or staff and not self.show_all:
            return
        self.clock.now = datetime.combine(day, time(9 + self.rng.randrange(7),
                                                    self.rng.randrange(60)), tzinfo=self.tz)
        said = []
        for text in self.answers(principal, row, day):
            reply = self.core.handle(Incoming("console", row.chat_id, text,
                                              reply_to=row.message_id))
            self.replies += 1
            said.append((text, reply[0].text if reply else ""))
            if show:
                self.write(f"  ↳ {principal.unit.code} trả lời: {text}")
                for m in reply:
                    self.write("    " + m.text.replace("\n", "\n    "))
        if featured and not show:  # later digests of the featured school: one line each
            items = ", ".join(c for c in row.items if c[:1].isdigit())
            reports = [c for c in row.items if not c[:1].isdigit()]
            what = items + (" và báo cáo" if reports else "") if items else "báo cáo"
            answer = "; ".join(f"“{t}” → {_gist(a)}" for t, a in said) or "(chưa trả lời)"
            self.write(f"• {day_short(day)}: nhắc {what} — {answer}")

    def answers(self, p: Principal, row: Outbox, day: date) -> list[str]:
        """What a principal of this kind would type back to this digest."""
        rng, persona = self.rng, p.persona
        if persona == "im lặng" or rng.random() < 0.15:
            return []
        texts: list[str] = []
        tasks = [c for c in row.items if c in self.tasks]
        ongoing = [c for c in tasks if self.tasks[c][1] and self.tasks[c][0] > day]
        dated = [c for c in tasks if c not in ongoing]
        for code in dated:
            overdue = self.tasks[code][0] < day
            if persona == "khó khăn" and code not in p.blocked and rng.random() < 0.5:
                p.blocked[code] = 0
                texts.append(f"{code} gặp khó khăn: {rng.choice(BLOCKED_REASONS)}")
                continue
            if code in p.blocked:
                p.blocked[code] += 1
                if p.blocked[code] < 2:
                    continue
            if persona == "chậm" and not overdue and rng.random() < 0.7:
                percent = rng.choice([30, 50, 70])
                texts.append(rng.choice(PROGRESS_PHRASES).format(c=code, p=percent))
                continue
            if len(row.items) == 1 and rng.random() < 0.4:
                texts.append("xong rồi ạ")
            else:
                texts.append(rng.choice(DONE_PHRASES).format(c=code))
        if ongoing:
            p.progress = min(p.progress + rng.choice([20, 25, 30]), 100)
            if day.month == 12 and persona != "chậm":
                texts.append("xong " + ", ".join(ongoing))
            else:
                texts.append(f"{', '.join(ongoing)} đang thực hiện {min(p.progress, 90)}%")
        for code in row.items:
            due = self.report_dues.get(code)
            if code in REPORT_NAMES and due and (persona != "chậm" or due < day):
                texts.append(f"đã nộp báo cáo {REPORT_NAMES[code]}")
        return texts

    def staff_report(self, day: date) -> None:
        self.clock.now = datetime.combine(day, time(16, 30), tzinfo=self.tz)
        self.write(f"── 16:30 {day_long(day)}: chuyên viên gõ /baocao ──")
        with session_scope(self.engine) as session:
            summary = build_summary(session, self.plan, day, self.config)
            text = summary_text(summary, per_unit=False)
        lines = [ln for ln in text.split("\n") if ln]
        if not self.show_all and self.reports_shown:  # later report days: the headline
            lines = [ln for ln in lines if ln.startswith(("Toàn kế hoạch", "Báo cáo"))]
        self.reports_shown += 1
        self.write("\n".join("   " + ln for ln in lines))

    def finish(self) -> None:
        end = date(self.plan.year, 12, 31)
        self.clock.now = datetime.combine(end, time(17, 0), tzinfo=self.tz)
        self.write(f"═══ TỔNG KẾT NĂM {self.plan.year} ═══")
        with session_scope(self.engine) as session:
            summary = build_summary(session, self.plan, end, self.config)
            text = summary_text(summary, per_unit=self.show_all)
        self.write("\n".join(ln for ln in text.split("\n") if ln))
        with session_scope(self.engine) as session:
            rows = export_rows(session, today=end, tz=self.tz)
        written = [self.out_dir / "trang-thai.csv", self.out_dir / "trang-thai.json"]
        written[0].write_text(to_csv(rows), encoding="utf-8")
        written[1].write_text(to_json(rows), encoding="utf-8")
        written += self.report_files(end)
        self.write(f"Tin nhắc đã gửi: {len(self.transport.sent)}; trả lời của các trường: "
                   f"{self.replies}.")
        self.write("Tệp đã ghi:")
        for path in written:
            self.write(f"• {path}")

    def report_files(self, end: date) -> list[Path]:
        """Excel, chart and Word files of the year."""
        with session_scope(self.engine) as session:
            return write_all(session, self.out_dir, end, self.config)


def _gist(answer: str) -> str:
    """The bot's answer on one line: its first line, the first item recorded and how many
    more ('Đã ghi nhận: • 2.1 — Đang thực hiện 25% (…) và 11 việc khác'); a long line ends
    at its first sentence or, failing that, at a whole word."""
    lines = [ln.strip() for ln in answer.split("\n") if ln.strip()]
    if not lines:
        return ""
    items = [ln for ln in lines[1:] if ln.startswith("•")]
    text = f"{lines[0]} {items[0]}" if items else lines[0]
    if len(items) > 1:
        text += f" và {len(items) - 1} việc khác"
    if len(text) <= GIST:
        return text
    end = text.find(". ")
    if 0 < end < GIST:
        return text[:end + 1]
    return text[:GIST].rsplit(" ", 1)[0] + " …"


def run_demo(out_dir: Path = Path("out"), show_all: bool = False,
             out: TextIO | None = None) -> int:
    Demo(out or sys.stdout, out_dir, show_all).run()
    return 0
