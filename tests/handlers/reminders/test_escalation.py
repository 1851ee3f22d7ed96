"""Staff's weekly digest of late schools: once a week, every late item of every school by
its full name, what changed since last week, and who cannot be reached."""

from datetime import date, timedelta

from sqlalchemy import Engine

from handlers.reminders.planner import Item, Snapshot, plan_digests, weekly_escalations
from handlers.reminders.queue import dry_run
from storage.db import session_scope
from tests.handlers.reminders.test_queue import RULES, at, digests, queue_on

SCHOOL = 7


def _staff_digest(engine: Engine, chat_id: str) -> str:
    rows = [r for r in digests(engine) if r.chat_id == chat_id]
    return rows[-1].text


def test_on_8_april_every_late_item_is_listed(linked, loaded: Engine) -> None:
    staff = linked("PGD")
    queue_on(loaded, "2024-04-05")
    assert queue_on(loaded, "2024-04-08") >= 1  # Monday
    text = _staff_digest(loaded, staff.chat_id)
    assert "• Trường Tiểu học Cát Bi:" in text  # full names, not codes
    assert "– 1.1 Xây dựng kế hoạch cải cách hành chính năm 2024 — quá hạn 39 ngày" in text
    assert "– 1.2 Triển khai thực hiện nhiệm vụ cải cách hành chính năm 2024 — quá hạn 8 " \
        "ngày" in text
    assert "– Báo cáo quý I năm 2024 — quá hạn 14 ngày" in text
    for code in ("Q1", "H1", "Q3", "TH-CATBI: "):
        assert code not in text
    # nobody but staff has linked: that is said, with how many
    assert "Chưa liên lạc được qua chat: 25 trường" in text


def test_what_changed_since_last_week(linked, loaded: Engine, clock) -> None:
    staff = linked("PGD")
    school = linked("TH-CATBI")
    queue_on(loaded, "2024-04-05")
    queue_on(loaded, "2024-04-08")
    clock.now = at("2024-04-10", "10:00")
    school.say("xong 1.1, 1.2")
    school.say("đã nộp báo cáo quý I")
    for day in ("2024-04-09", "2024-04-10", "2024-04-11", "2024-04-12", "2024-04-15"):
        queue_on(loaded, day)
    text = _staff_digest(loaded, staff.chat_id)
    assert "3 việc đã được hoàn thành hoặc đã nộp (Trường Tiểu học Cát Bi: 1.1; " \
        "Trường Tiểu học Cát Bi: 1.2; Trường Tiểu học Cát Bi: Báo cáo quý I năm 2024)" in text


def _snapshot(items: list[Item]) -> Snapshot:
    from handlers.reminders.planner import Recipient

    staff = Recipient(19, 1, "Chuyên viên", "staff", "console", "s")
    return Snapshot(items, [staff], {SCHOOL: "Trường X", 1: "Phòng"}, {SCHOOL: "X", 1: "PGD"},
                    [], {1})


def test_escalation_is_weekly_not_on_every_reminder_day() -> None:
    items = [Item(SCHOOL, "1.1", "Kế hoạch", date(2024, 2, 29), "task"),
             Item(SCHOOL, "Q1", "Báo cáo quý I năm 2024", date(2024, 3, 25), "report")]
    snap = _snapshot(items)
    days = []
    day = date(2024, 3, 1)
    while day <= date(2024, 6, 30):
        if day.weekday() < 5 and any(d.escalations for d in plan_digests(
                snap, day, day - timedelta(days=1), RULES)):
            days.append(day)
        day += timedelta(days=1)
    assert days and all(d.weekday() == 0 for d in days)  # Mondays only
    assert len(days) == 16  # 11/3 … 24/6: one a week
    assert weekly_escalations(snap, date(2024, 4, 10), date(2024, 4, 9), RULES) == []


def test_a_holiday_monday_moves_the_weekly_digest_to_tuesday() -> None:
    snap = _snapshot([Item(SCHOOL, "1.1", "Kế hoạch", date(2024, 2, 29), "task")])
    # Monday 2/9/2024 is Quốc khánh: the service plans on Tuesday 3/9 for (30/8, 3/9]
    assert weekly_escalations(snap, date(2024, 9, 3), date(2024, 8, 30), RULES)


def test_a_year_has_one_escalation_a_week(loaded: Engine) -> None:
    with session_scope(loaded) as session:
        days = dry_run(session, date(2024, 1, 1), date(2024, 12, 31), RULES)
    assert days  # the dry run over the year still works with the weekly digest


def test_between_weekly_digests_nothing_is_claimed_resolved(linked, loaded: Engine) -> None:
    staff = linked("PGD")
    queue_on(loaded, "2024-04-05")
    queue_on(loaded, "2024-04-08")  # Monday: the weekly digest, remembered
    before = len([r for r in digests(loaded) if r.chat_id == staff.chat_id])
    for day in ("2024-04-09", "2024-04-10", "2024-04-11", "2024-04-12"):
        queue_on(loaded, day)
    later = [r.text for r in digests(loaded) if r.chat_id == staff.chat_id][before:]
    # nobody answered in the week: no staff message may say anything was done
    assert not any("đã được hoàn thành" in text for text in later), later


def test_a_city_office_gets_a_readable_weekly_digest() -> None:
    """500 late schools: the longest late in full (two lines each), the rest counted, and
    where to read them all — one chat message, not hundreds."""
    from handlers.reminders.texts import digest_text

    items = [Item(100 + i, "1.1", "Kế hoạch", date(2024, 2, 29) - timedelta(days=i % 3), "task")
             for i in range(500)]
    snap = _snapshot(items)
    snap.unit_names.update({100 + i: f"Trường số {i}" for i in range(500)})
    (staff,) = plan_digests(snap, date(2024, 4, 8), date(2024, 4, 5), RULES)
    text = digest_text(staff, "Phòng", "01/KH", snap.unit_names)
    assert text.count("\n• Trường số ") == 50
    assert "• Trường số 2:" in text  # the longest late come first
    assert "… và 450 trường khác (450 việc) — danh sách đầy đủ: /baocao quahan" in text
    assert "500 TRƯỜNG CÓ VIỆC QUÁ HẠN" in text
    assert len(text) < 3 * 4096
