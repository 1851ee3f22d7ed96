"""/yeucau: an ad-hoc report every school owes, reminded like the others."""

from sqlalchemy import Engine
from sqlmodel import select

from storage.db import session_scope
from storage.models import ReportPeriod
from tests.handlers.conftest import at, digests, queue_on


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
