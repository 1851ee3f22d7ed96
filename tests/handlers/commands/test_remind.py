"""/nhacnho: a digest right now, for staff only."""

from sqlalchemy import Engine
from sqlmodel import select

from storage.db import session_scope
from storage.models import Outbox


def test_remind_now(linked, loaded: Engine) -> None:
    linked("TH-CATBI")
    staff = linked("PGD")
    assert "Đã xếp 1 tin" in staff.say("/nhacnho TH-CATBI")
    with session_scope(loaded) as session:
        (row,) = session.exec(select(Outbox).where(Outbox.key.startswith("manual:"))).all()
        assert "1.1" in row.items and "ĐÃ QUÁ HẠN" in row.text
    assert "chỉ dành cho chuyên viên" in linked("MN-CATBI").say("/nhacnho TH-CATBI")
