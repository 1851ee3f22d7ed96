"""/thongbao: a notice to the schools, and who has acknowledged it."""

from sqlalchemy import Engine
from sqlmodel import select

from storage.db import session_scope
from storage.models import Outbox


def test_notice_and_acknowledgement(linked, loaded: Engine) -> None:
    th = linked("TH-CATBI")
    linked("MN-CATBI")
    staff = linked("PGD")
    assert "tới 1 trường" in staff.say("/thongbao TH Họp hiệu trưởng lúc 14h thứ Sáu")
    with session_scope(loaded) as session:
        (row,) = session.exec(select(Outbox).where(Outbox.kind == "notice")).all()
        assert row.chat_id == th.chat_id and "Họp hiệu trưởng" in row.text
    assert "Cảm ơn" in th.say("đã nhận ạ")
    assert staff.say("/thongbao") == ("Thông báo “Họp hiệu trưởng lúc 14h thứ Sáu”: đã gửi "
                                      "0/1, đã xác nhận 1.")


def test_notice_status_before_any_notice(linked) -> None:
    assert "Chưa có thông báo nào" in linked("PGD").say("/thongbao")
