"""Staff are told who a push did not reach, and why."""

from datetime import datetime

from tests.handlers.conftest import TZ


def test_a_notice_says_which_schools_it_cannot_reach(linked) -> None:
    linked("TH-CATBI")
    staff = linked("PGD")
    answer = staff.say("/thongbao Họp giao ban thứ Sáu")
    assert "Đã xếp gửi thông báo tới 1 trường" in answer
    assert "Không gửi được tới 24 trường: 24 chưa liên kết tài khoản (MN-CATBI," in answer
    assert "TH-CATBI" not in answer.split("Không gửi được")[1]
    only_th = staff.say("/thongbao TH Nộp sổ điểm")
    assert "Không gửi được tới 7 trường" in only_th  # the other primary schools


def test_a_reminder_says_the_school_cannot_be_reached(linked, clock) -> None:
    staff = linked("PGD")
    clock.now = datetime(2024, 3, 20, 9, 0, tzinfo=TZ)
    answer = staff.say("/nhacnho TH-DANGHAI")
    assert "Không gửi được tới 1 trường: 1 chưa liên kết tài khoản (TH-DANGHAI)." in answer
