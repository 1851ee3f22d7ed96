"""Reminders against the real database: stop on done, queue once, catch up, snooze and
pause."""


from sqlalchemy import Engine

from handlers.reminders.queue import due_messages
from storage.db import make_engine, session_scope
from tests.handlers.conftest import RULES, at, digests, queue_on


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


