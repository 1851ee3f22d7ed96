"""Reminders against the real database: stop on done, queue once, catch up, requests,
snooze, pause, notices."""

from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import select

from bot.settings import Settings
from handlers.reminders.queue import due_messages, plan_and_queue
from storage.db import make_engine, session_scope
from storage.models import Outbox, ReportPeriod
from tests.handlers.conftest import TZ

RULES = Settings.defaults().config().rules


def at(day: str, hm: str = "07:30") -> datetime:
    return datetime.fromisoformat(f"{day} {hm}").replace(tzinfo=TZ)


def queue_on(engine: Engine, day: str) -> int:
    with session_scope(engine) as session:
        return plan_and_queue(session, at(day), RULES)


def digests(engine: Engine) -> list[Outbox]:
    with session_scope(engine) as session:
        return list(session.exec(select(Outbox).where(Outbox.kind == "digest")
                                 .order_by(Outbox.id)))


def test_done_tasks_stop_being_reminded(linked, loaded: Engine, clock) -> None:
    principal = linked("TH-CATBI")
    clock.now = at("2024-03-21", "10:00")
    principal.say("xong 1.2")
    queue_on(loaded, "2024-03-22")
    (row,) = digests(loaded)
    assert "1.2" not in row.items and "Q1" in row.items
    assert row.text.startswith("Kính gửi thầy/cô")
    assert "Báo cáo quý I năm 2024 — hạn Thứ Hai, 25/3/2024, còn 3 ngày" in row.text


def test_queued_once_even_after_a_restart(linked, loaded: Engine, db_url: str) -> None:
    linked("TH-CATBI")
    linked("PGD")
    assert queue_on(loaded, "2024-03-22") == 2
    assert queue_on(loaded, "2024-03-22") == 0
    restarted = make_engine(db_url)
    assert queue_on(restarted, "2024-03-22") == 0
    assert len(digests(restarted)) == 2


def test_catch_up_after_downtime(linked, loaded: Engine) -> None:
    linked("TH-CATBI")
    assert queue_on(loaded, "2024-03-21") == 0  # nothing due; remembers the day
    # down from 22/3 to 26/3: the 22/3 reminder of 1.2 and the Q1 report are caught up
    assert queue_on(loaded, "2024-03-27") == 1
    (row,) = digests(loaded)
    assert {"1.1", "1.2", "Q1"} <= set(row.items)
    assert "Báo cáo quý I năm 2024 — hạn Thứ Hai, 25/3/2024, quá hạn 2 ngày" in row.text
    assert queue_on(loaded, "2024-03-27") == 0


def test_dry_run_writes_nothing(linked, loaded: Engine) -> None:
    linked("TH-CATBI")
    with session_scope(loaded) as session:
        messages, _ = due_messages(session, at("2024-03-22"), RULES)
        session.rollback()
    assert len(messages) == 1 and "1.2" in messages[0].text
    assert digests(loaded) == []


def test_adhoc_request_joins_the_flow(linked, loaded: Engine, clock) -> None:
    principal = linked("TH-CATBI")
    staff = linked("PGD")
    clock.now = at("2024-04-08", "09:00")
    answer = staff.say("/yeucau 19/4 Báo cáo công tác phòng cháy chữa cháy")
    assert "Báo cáo công tác phòng cháy chữa cháy" in answer and "1 trường" in answer
    with session_scope(loaded) as session:
        period = session.exec(select(ReportPeriod).where(ReportPeriod.periodic == False)  # noqa: E712
                              ).one()
        assert period.code == "A1"
    queue_on(loaded, "2024-04-16")  # 19/4 - 3
    row = next(r for r in digests(loaded) if "A1" in r.items)
    assert "Báo cáo công tác phòng cháy chữa cháy — hạn Thứ Sáu, 19/4/2024" in row.text
    clock.now = at("2024-04-17", "10:00")
    assert "đã nộp báo cáo công tác phòng cháy" in principal.say("đã nộp báo cáo đột xuất")


def test_snooze_and_pause(linked, loaded: Engine, clock) -> None:
    principal = linked("TH-CATBI")
    queue_on(loaded, "2024-03-22")
    clock.now = at("2024-03-22", "08:00")
    assert "10:00 ngày 22/3/2024" in principal.say("nhắc lại sau 2 giờ")
    clock.now = at("2024-03-22", "16:00")  # a Friday afternoon
    assert "07:30 ngày 25/3/2024" in principal.say("nhac lai ngay mai")
    snoozed = [r for r in digests(loaded) if ":snooze:" in r.key]
    assert len(snoozed) == 2
    assert "tạm dừng nhắc việc" in principal.say("tạm dừng nhắc đến 15/8")
    staff = linked("PGD")
    assert queue_on(loaded, "2024-04-15") == 1  # Monday: only staff, the school is paused
    (row,) = [r for r in digests(loaded) if r.chat_id == staff.chat_id]
    assert "• Trường Tiểu học Cát Bi:" in row.text  # still escalated, by its full name
    assert "– 1.2 Triển khai thực hiện nhiệm vụ cải cách hành chính năm 2024 — quá hạn 15 " \
        "ngày" in row.text


def test_break_for_everyone(linked, loaded: Engine, clock) -> None:
    linked("TH-CATBI")
    staff = linked("PGD")
    assert "Đã đặt thời gian nghỉ" in staff.say("/nghi 20/3 30/3 Kiểm tra")
    assert queue_on(loaded, "2024-03-22") == 0


def test_notice_and_acknowledgement(linked, loaded: Engine) -> None:
    th = linked("TH-CATBI")
    linked("MN-CATBI")
    staff = linked("PGD")
    assert "tới 1 trường" in staff.say("/thongbao TH Họp hiệu trưởng lúc 14h thứ Sáu")
    with session_scope(loaded) as session:
        (row,) = session.exec(select(Outbox).where(Outbox.kind == "notice")).all()
        assert row.chat_id == th.chat_id and "Họp hiệu trưởng" in row.text
    assert "Cảm ơn" in th.say("đã nhận ạ")
    assert "đã xác nhận 1" in staff.say("/thongbao")


def test_remind_now(linked, loaded: Engine) -> None:
    linked("TH-CATBI")
    staff = linked("PGD")
    assert "Đã xếp 1 tin" in staff.say("/nhacnho TH-CATBI")
    with session_scope(loaded) as session:
        (row,) = session.exec(select(Outbox).where(Outbox.key.startswith("manual:"))).all()
        assert "1.1" in row.items and "ĐÃ QUÁ HẠN" in row.text
    assert "chỉ dành cho chuyên viên" in linked("MN-CATBI").say("/nhacnho TH-CATBI")
