"""Who may do what: stranger, principal of school A, staff, admin × every command and
every kind of update. A stranger learns nothing; A never touches B."""

import pytest
from sqlalchemy import Engine
from sqlmodel import func, select

from handlers import texts
from storage.db import session_scope
from storage.models import (
    Assignment,
    History,
    Inspection,
    Outbox,
    Pause,
    ReportPeriod,
    State,
    Submission,
    Task,
    Unit,
)
from tests.handlers.conftest import Chat

# The 2024 sample was issued by the Phòng GD&ĐT of Hải An: refusals name it.
NOT_ALLOWED = "Xin lỗi, chức năng này chỉ dành cho chuyên viên Phòng GD&ĐT."

STAFF_ONLY = ["/baocao", "/baocao xlsx", "/baocao TH Cát Bi", "/nhacnho MN-CATBI",
              "/yeucau 30/4 Báo cáo thử", "/thongbao Họp lúc 14h", "/nghi 1/7 31/8 Nghỉ hè",
              "/kiemtra MN-CATBI"]
EVERYONE = ["/giup", "/nhiemvu", "/lienket", "/hoantac", "xong 1.1", "1.2 đang làm 50%",
            "đã nộp báo cáo quý I", "nhắc lại ngày mai", "tạm dừng nhắc đến 15/8", "đã nhận"]
ADMIN_ONLY = ["/moi MN-CATBI"]
NAMES = ["Cát Bi", "Đằng Hải", "TH-", "MN-", "PGD", "06/KH", "1.1", "Báo cáo", "Hiệu trưởng"]


def state_counts(engine: Engine) -> tuple[int, ...]:
    with session_scope(engine) as session:
        return tuple(session.exec(select(func.count()).select_from(t)).one()
                     for t in (History, Submission, Outbox, Pause, Inspection, ReportPeriod))


def mn_record(engine: Engine, code: str = "1.1") -> State:
    with session_scope(engine) as session:
        return session.exec(select(Assignment.state).join(Task).join(Unit).where(
            Unit.code == "MN-CATBI", Task.code == code)).one()


@pytest.mark.parametrize("text", STAFF_ONLY + EVERYONE + ADMIN_ONLY +
                         ["MN-CATBI xong 1.1", "/start", "/start SAICODE", "/nhiemvu MN-CATBI"])
def test_a_stranger_learns_nothing_and_changes_nothing(core, loaded: Engine, text: str) -> None:
    before = state_counts(loaded)
    answer = Chat(core, "stranger").say(text)
    assert state_counts(loaded) == before
    leaked = [n for n in NAMES if n in answer]
    assert not leaked, answer


@pytest.mark.parametrize("text", STAFF_ONLY + ADMIN_ONLY)
def test_principals_may_not_use_staff_commands(linked, loaded: Engine, text: str) -> None:
    principal = linked("TH-CATBI")
    before = state_counts(loaded)
    assert NOT_ALLOWED in principal.say(text)
    assert state_counts(loaded) == before


def test_school_a_never_touches_school_b(linked, loaded: Engine) -> None:
    a = linked("TH-CATBI")
    assert texts.OTHER_SCHOOL in a.say("MN-CATBI xong 1.1")
    assert "MẦM NON" not in a.say("/nhiemvu MN-CATBI")
    a.say("xong 1.1")
    assert mn_record(loaded) == State.NOT_STARTED
    b = linked("MN-CATBI")
    assert "Không có lần ghi nhận" in b.say("hoàn tác")  # B cannot undo A's update
    with session_scope(loaded) as session:
        th = session.exec(select(Assignment.state).join(Task).join(Unit).where(
            Unit.code == "TH-CATBI", Task.code == "1.1")).one()
    assert th == State.DONE


@pytest.mark.parametrize("who", ["PGD", "0900000103"])
def test_staff_and_admin_may_use_staff_commands(linked, who: str) -> None:
    chat = linked(who)
    for text in STAFF_ONLY:
        assert NOT_ALLOWED not in chat.say(text), text


def test_only_admins_issue_invites(linked) -> None:
    assert NOT_ALLOWED in linked("PGD").say("/moi MN-CATBI")
    assert "Mã mời cho" in linked("0900000103").say("/moi MN-CATBI")


def test_staff_record_for_a_school_and_the_history_says_who(linked, loaded: Engine) -> None:
    linked("PGD").say("MN-CATBI xong 1.1")
    assert mn_record(loaded) == State.DONE
    with session_scope(loaded) as session:
        row = session.exec(select(History)).one()
        assert row.on_behalf
