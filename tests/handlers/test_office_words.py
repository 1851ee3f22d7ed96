"""Every text that names the office takes its words from the issuer's profile: the 2024
Phòng GD&ĐT sample, a Sở GD&ĐT with THPT schools and departments, a primary school with
its tổ chuyên môn."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.settings import Settings
from handlers import texts
from handlers.commands.texts import too_many_guesses, wrong_code
from handlers.core import Core
from handlers.messages import Incoming
from handlers.reminders.planner import Digest, Item, Line, Recipient
from handlers.reminders.queue import load_snapshot
from handlers.reminders.texts import digest_text, notice_text
from handlers.replies.texts import paused
from storage.db import session_scope
from storage.files.plan import read_plan
from storage.files.roster import read_units
from storage.imports import save_units
from storage.issuer import profile_of
from storage.planimport import import_plan
from storage.plans import active_plan

CORPUS = Path(__file__).parents[1] / "storage" / "files" / "corpus"
OFFICES = {  # plan → (roster, short name)
    "ke-hoach-2024-word.docx": (None, "Phòng GD&ĐT"),
    "so-2025-the-thao.docx": ("so", "Sở GD&ĐT"),
    "truong-2024-2025-chuyen-mon.docx": ("truong", "Trường Tiểu học Kim Đồng"),
}


@pytest.mark.parametrize("plan", OFFICES)
def test_texts_name_the_issuing_office(plan: str) -> None:
    office = profile_of(read_plan(CORPUS / plan))
    short = OFFICES[plan][1]
    assert f"hệ thống nhắc việc của {office.full_name}." in texts.stranger(office)
    assert f"liên hệ chuyên viên {short} để nhận mã mời" in texts.stranger(office)
    assert wrong_code(short).endswith(f"liên hệ {short} để nhận mã mới.")
    assert too_many_guesses(short).endswith(f"liên hệ {short}.")
    assert texts.not_allowed(office).endswith(f"chuyên viên {short}.")
    assert notice_text("Họp lúc 14h", "Lê Quang Huy", short).startswith(
        f"THÔNG BÁO CỦA {short.upper()}\n")
    assert paused("31/8", short).endswith(f"tổng hợp gửi {short}.")
    item = Item(1, "1.1", "Xây dựng kế hoạch", date(2025, 3, 31), "task")
    digest = Digest(Recipient(1, 1, "Lò Thị Mai", "principal", "telegram", "1"),
                    date(2025, 3, 28), 1, soon=[Line(item, 3)])
    assert f"{short} trân trọng nhắc các việc theo Kế hoạch 45/KH" in digest_text(
        digest, "Tổ khối 1", "45/KH", office=short)


@pytest.mark.parametrize("plan", ["so-2025-the-thao.docx", "truong-2024-2025-chuyen-mon.docx"])
def test_a_stranger_is_told_whom_to_contact(engine: Engine, plan: str) -> None:
    roster, short = OFFICES[plan]
    with session_scope(engine) as session:
        save_units(session, read_units(CORPUS / f"roster-{roster}.csv"))
        import_plan(session, CORPUS / plan)
    core = Core(engine, Settings.defaults().config())
    answer = core.handle(Incoming("telegram", "999", "xin chào"))[0].text
    assert f"liên hệ chuyên viên {short}" in answer and "Phòng GD&ĐT" not in answer


def test_on_request_tasks_are_never_in_a_reminder_snapshot(engine: Engine) -> None:
    with session_scope(engine) as session:
        save_units(session, read_units(CORPUS / "roster-so.csv"))
        import_plan(session, CORPUS / "so-2025-the-thao.docx")
    with session_scope(engine) as session:
        plan = active_plan(session)
        assert plan is not None
        codes = {i.code for i in load_snapshot(session, plan, date(2025, 12, 30)).items}
    assert "2.1" in codes and "2.2" not in codes  # 2.2: "Theo yêu cầu"
