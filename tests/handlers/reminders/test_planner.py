"""The reminder planner on a fake clock: offsets, working-day shifts, digests, catch-up."""

from datetime import date, timedelta

from bot.settings import Settings
from handlers.reminders.planner import Item, Recipient, Snapshot, plan_digests, trigger_days

RULES = Settings.defaults().config().rules
SCHOOL, OTHER, OFFICE = 1, 2, 9


def snapshot(items: list[Item], paused: bool = False,
             report_dues: list[date] | None = None) -> Snapshot:
    people = [Recipient(11, SCHOOL, "Trần Thu Nga", "principal", "telegram", "111", paused),
              Recipient(12, OTHER, "Lê Văn Bình", "principal", "zalo", "222"),
              Recipient(19, OFFICE, "Phạm Thu Trang", "staff", "telegram", "999")]
    return Snapshot(items, people, {SCHOOL: "Trường Tiểu học Cát Bi", OTHER: "Trường B",
                                    OFFICE: "Phòng"},
                    {SCHOOL: "TH-CATBI", OTHER: "TH-B", OFFICE: "PGD"},
                    report_dues or [date(2024, 3, 25)], {OFFICE})


def days_with_digest(snap: Snapshot, start: date, end: date, contact: int = 11) -> list[date]:
    out, day = [], start
    while day <= end:
        if any(d.recipient.contact_id == contact for d in
               plan_digests(snap, day, day - timedelta(days=1), RULES)):
            out.append(day)
        day += timedelta(days=1)
    return out


def test_before_and_after_a_deadline_on_a_sunday() -> None:
    due = date(2024, 3, 31)  # Quý I: a Sunday
    before, after = trigger_days(due, RULES)
    assert before == (date(2024, 3, 22), date(2024, 3, 28), date(2024, 3, 29))
    assert after == (date(2024, 4, 1), date(2024, 4, 3))
    snap = snapshot([Item(SCHOOL, "1.2", "Triển khai", due, "task")])
    assert days_with_digest(snap, date(2024, 3, 1), date(2024, 5, 3)) == [
        date(2024, 3, 22), date(2024, 3, 28), date(2024, 3, 29),  # never after the deadline
        date(2024, 4, 1), date(2024, 4, 3),  # +1, +3
        date(2024, 4, 10), date(2024, 4, 17), date(2024, 4, 24),  # weekly
        date(2024, 5, 2),  # 1/5 is a holiday: the next working day
    ]


def test_tet_moves_reminders_before_the_holiday() -> None:
    snap = snapshot([Item(SCHOOL, "1.1", "Kế hoạch", date(2024, 2, 15), "task")])
    assert days_with_digest(snap, date(2024, 2, 1), date(2024, 2, 15)) == [
        date(2024, 2, 7), date(2024, 2, 15)]
    late = snapshot([Item(SCHOOL, "1.1", "Kế hoạch", date(2024, 2, 7), "task")])
    assert days_with_digest(late, date(2024, 2, 8), date(2024, 2, 20)) == [
        date(2024, 2, 15), date(2024, 2, 19)]  # +1 and +3 both land after Tết; +10 a Saturday


def test_nothing_on_days_off_and_one_digest_per_person() -> None:
    items = [Item(SCHOOL, "1.2", "Triển khai", date(2024, 3, 31), "task"),
             Item(SCHOOL, "1.3", "Kiểm tra", date(2024, 3, 31), "task"),
             Item(SCHOOL, "Q1", "Báo cáo quý I năm 2024", date(2024, 3, 25), "report"),
             Item(OTHER, "1.2", "Triển khai", date(2024, 3, 31), "task")]
    digests = plan_digests(snapshot(items), date(2024, 3, 22), date(2024, 3, 21), RULES)
    mine = [d for d in digests if d.recipient.contact_id == 11]
    assert len(mine) == 1
    assert [ln.item.code for ln in mine[0].soon] == ["1.2", "1.3"]
    assert [ln.item.code for ln in mine[0].reports] == ["Q1"]
    assert {d.recipient.contact_id for d in digests} == {11, 12}


def test_all_year_tasks_are_asked_only_before_reports() -> None:
    snap = snapshot([Item(SCHOOL, "2.1", "Rà soát", date(2024, 12, 31), "ongoing")])
    days = days_with_digest(snap, date(2024, 1, 1), date(2024, 4, 30))
    assert days == [date(2024, 3, 18), date(2024, 3, 22), date(2024, 3, 25)]
    digest = plan_digests(snap, date(2024, 3, 18), date(2024, 3, 17), RULES)[0]
    assert [ln.item.code for ln in digest.progress] == ["2.1"] and not digest.soon


def test_escalation_reaches_staff_even_when_the_school_is_paused() -> None:
    items = [Item(SCHOOL, "1.1", "Kế hoạch", date(2024, 2, 29), "task")]
    day = date(2024, 3, 11)  # the first weekly notice, 11 days late
    digests = plan_digests(snapshot(items, paused=True), day, day - timedelta(days=1), RULES)
    assert [d.recipient.contact_id for d in digests] == [19]
    assert digests[0].escalations[0][0] == SCHOOL
    early = plan_digests(snapshot(items), date(2024, 3, 1), date(2024, 2, 29), RULES)
    assert all(not d.escalations for d in early)  # 1 day late: not yet


def test_catch_up_after_an_outage_collects_once() -> None:
    snap = snapshot([Item(SCHOOL, "1.2", "Triển khai", date(2024, 3, 31), "task")])
    # down from Friday 22/3 to Wednesday 27/3; back on Thursday 28/3
    digests = plan_digests(snap, date(2024, 3, 28), since=date(2024, 3, 21), rules=RULES)
    assert len([d for d in digests if d.recipient.contact_id == 11]) == 1
    assert plan_digests(snap, date(2024, 3, 28), since=date(2024, 3, 28), rules=RULES) == []
