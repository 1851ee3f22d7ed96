"""/nghi: a break for everyone stops the reminders."""

from sqlalchemy import Engine

from tests.handlers.conftest import queue_on


def test_break_for_everyone(linked, loaded: Engine, clock) -> None:
    linked("TH-CATBI")
    staff = linked("PGD")
    assert "Đã đặt thời gian nghỉ" in staff.say("/nghi 20/3 30/3 Kiểm tra")
    assert queue_on(loaded, "2024-03-22") == 0
