"""Status replies through the core: only certain facts are written, doubts are asked back
with one tap and answered later (button or number, after a restart too), and what writes
nothing is still answered politely."""

from datetime import date, timedelta

from sqlalchemy import Engine
from sqlmodel import func, select, update

from handlers.core import Core
from handlers.messages import Action
from handlers.replies.status import done_on
from storage.contacts import contact_by_identity
from storage.db import session_scope
from storage.models import Assignment, History, Outbox, PendingQuestion, State, Task, Unit
from storage.outbox import NewMessage, queue
from tests.handlers.conftest import Chat, Clock


def record(engine: Engine, unit_code: str, task_code: str) -> Assignment:
    with session_scope(engine) as session:
        return session.exec(select(Assignment).join(Task).join(Unit).where(
            Unit.code == unit_code, Task.code == task_code)).one()


def history_count(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(History)).one()


def states(engine: Engine, unit_code: str, *codes: str) -> list[State]:
    return [record(engine, unit_code, c).state for c in codes]


def test_mixed_states_write_what_each_clause_says(linked, loaded: Engine) -> None:
    principal = linked("TH-CATBI")
    answer = principal.say("1.1 xong, 1.2 chưa")
    assert "1.1 — Hoàn thành" in answer and "1.2 — Chưa thực hiện" in answer
    assert states(loaded, "TH-CATBI", "1.1", "1.2") == [State.DONE, State.NOT_STARTED]
    principal.say("1.2 đang làm 40%")
    principal.say("xong 1.1 và 1.2 chưa")
    assert record(loaded, "TH-CATBI", "1.2").state == State.IN_PROGRESS
    assert record(loaded, "TH-CATBI", "1.2").percent == 40  # "chưa" keeps the progress


def test_not_done_reopens_a_task_recorded_done(linked, loaded: Engine) -> None:
    principal = linked("TH-CATBI")
    principal.say("xong 2.2")
    principal.say("chưa xong 2.2 100%")
    assert record(loaded, "TH-CATBI", "2.2").state == State.IN_PROGRESS


def test_a_reopened_task_gets_no_percentage_nobody_stated(linked, loaded: Engine) -> None:
    """Its 100% belonged to "done"; how far it is now was not said (not "99%")."""
    principal = linked("TH-CATBI")
    principal.say("xong 1.1")
    answer = principal.say("ko xong dc 1.1 vi thieu kp")
    assert "1.1 — Đang thực hiện (" in answer and "%" not in answer
    assert record(loaded, "TH-CATBI", "1.1").percent == 0
    principal.say("xong 1.2")
    principal.say("1.2 gặp khó khăn: thiếu máy in")
    assert record(loaded, "TH-CATBI", "1.2").percent == 0


def test_a_polite_ạ_is_not_recorded_as_the_reason_of_a_difficulty(linked, loaded: Engine
                                                                   ) -> None:
    """Principals end with "ạ"; a difficulty said with nothing else is asked about, and the
    reason given later in the message is kept without the particles around it."""
    principal = linked("TH-CATBI")
    answer = principal.say("1.1 chưa làm được ạ")
    assert "1.1 — Gặp khó khăn (" in answer
    assert "Thầy/cô vui lòng cho biết khó khăn của nhiệm vụ 1.1" in answer
    assert record(loaded, "TH-CATBI", "1.1").note == ""
    principal.say("1.2 vướng ạ, vì chưa có máy in ạ")
    assert record(loaded, "TH-CATBI", "1.2").note == "chưa có máy in"
    staff = linked("PGD")
    assert "TH-CATBI 1.2 (chưa có máy in)" in staff.say("/baocao")


def test_a_reason_for_not_done_is_not_dropped_in_silence(linked, loaded: Engine) -> None:
    """"Not finished because …" records only "not finished"; the answer says the reason was
    not kept and how to record it as a difficulty, in the principal's own words."""
    principal = linked("TH-CATBI")
    principal.say("1.2 đang làm 60%")
    answer = principal.say("ko xong dc 1.2 vi thieu kp a")
    assert "1.2 — Đang thực hiện 60%" in answer
    assert ("Lý do “thieu kp” chưa được ghi. Nếu nhiệm vụ 1.2 đang gặp khó khăn, thầy/cô "
            "trả lời: “1.2 gặp khó khăn: thieu kp”.") in answer
    assert record(loaded, "TH-CATBI", "1.2").note == ""
    principal.say("1.2 gặp khó khăn: thieu kp")
    assert record(loaded, "TH-CATBI", "1.2").state == State.BLOCKED
    assert record(loaded, "TH-CATBI", "1.2").note == "thieu kp"


def test_done_on_a_day_said_is_recorded_on_that_day(linked, loaded: Engine) -> None:
    """On 20/3, "hoàn thành từ ngày 25/2" was done before the 29/2 deadline: on time. A day
    still to come is a plan, and a day that does not exist is asked again: nothing written."""
    principal = linked("TH-CATBI")
    answer = principal.say("1.1 hoàn thành từ ngày 25/2")
    assert "1.1 — Hoàn thành (đúng hạn)" in answer
    assert record(loaded, "TH-CATBI", "1.1").completed_on == date(2024, 2, 25)
    before = history_count(loaded)
    assert principal.say("1.2 xong ngày 25/4") == (
        "Ngày 25/4/2024 chưa đến nên hệ thống chưa ghi nhận nhiệm vụ 1.2 hoàn thành. "
        "Khi xong, thầy/cô nhắn “xong 1.2”.")
    assert "không hợp lệ" in principal.say("1.2 xong ngày 31/2")
    assert history_count(loaded) == before
    assert record(loaded, "TH-CATBI", "1.2").state == State.NOT_STARTED


def test_a_day_without_a_year_is_the_latest_one_that_can_be_meant() -> None:
    assert done_on("25/2", date(2024, 3, 20)) == date(2024, 2, 25)
    assert done_on("25/4", date(2024, 3, 20)) == date(2024, 4, 25)  # ahead: refused later
    assert done_on("28/12", date(2025, 1, 5)) == date(2024, 12, 28)
    assert done_on("25/2/24", date(2024, 3, 20)) == date(2024, 2, 25)
    assert done_on("31/2", date(2024, 3, 20)) is None


def test_questions_plans_and_almost_write_nothing(linked, loaded: Engine) -> None:
    principal = linked("TH-CATBI")
    principal.say("1.2 đang làm 30%")
    before = history_count(loaded)
    answer = principal.say("1.2 xong chưa ạ?")
    assert "Hiện hệ thống đang ghi nhận" in answer and "1.2 — Đang thực hiện 30%" in answer
    assert "chưa ghi nhận gì" in principal.say("em sẽ hoàn thành 1.2 vào thứ sáu")
    assert "“xong 1.2”" in principal.say("1.2 sắp xong rồi ạ")
    assert "Báo cáo quý I năm 2024: 25/3/2024" in principal.say(
        "Hạn nộp báo cáo quý I là ngày nào vậy?")
    assert "chưa ghi nhận gì" in principal.say("em sẽ nộp báo cáo quý I vào thứ sáu")
    assert history_count(loaded) == before
    assert record(loaded, "TH-CATBI", "1.2").state == State.IN_PROGRESS


def test_numbers_out_of_range_are_refused(linked, loaded: Engine) -> None:
    principal = linked("TH-CATBI")
    for text in ("1.2 đang làm 1100%", "1.2 đang làm -5%", "1.2 150%"):
        assert "từ 0 đến 100%" in principal.say(text)
    assert record(loaded, "TH-CATBI", "1.2").state == State.NOT_STARTED
    assert "Đang thực hiện 99%" in principal.say("1.2 đang làm 99.5%")


def test_small_talk_off_topic_and_gibberish(linked, loaded: Engine) -> None:
    principal = linked("TH-CATBI")
    before = history_count(loaded)
    assert principal.say("chào bot").startswith("Kính chào")
    assert principal.say("cảm ơn ạ") == "Dạ, cảm ơn thầy/cô."
    assert principal.say("Dạ em cảm ơn") == "Dạ, cảm ơn thầy/cô."
    assert principal.say("👍") == "Dạ."
    off = principal.say("cho em hỏi số điện thoại phòng mình với ạ")
    assert "liên hệ chuyên viên Phòng GD&ĐT (Phạm Thu Trang, 0900000101)" in off
    gibberish = principal.say("asdfgh")
    assert gibberish.count("\n") == 0 and "“xong 1.1”" in gibberish
    assert history_count(loaded) == before


def test_a_doubt_is_asked_with_buttons_and_the_tap_records_it(linked, loaded: Engine) -> None:
    principal = linked("TH-CATBI")
    answer = principal.send("1.2 rồi ạ")
    assert "xác nhận" in answer[0].text and "Trả lời 1" not in answer[0].text
    yes, no = answer[0].buttons[0]
    assert (yes.label, no.label) == ("Đã hoàn thành 1.2", "Chưa")
    assert record(loaded, "TH-CATBI", "1.2").state == State.NOT_STARTED
    assert "1.2 — Hoàn thành" in principal.say(action=Action.decode(yes.data))
    assert record(loaded, "TH-CATBI", "1.2").state == State.DONE
    assert "hết hạn" in principal.say(action=Action.decode(yes.data))  # answered once only


def test_no_records_nothing(linked, loaded: Engine) -> None:
    principal = linked("TH-CATBI")
    no = principal.send("1.1")[0].buttons[0][1]
    before = history_count(loaded)
    assert "chưa ghi nhận thay đổi nào" in principal.say(action=Action.decode(no.data))
    assert history_count(loaded) == before


def test_zalo_gets_numbered_choices_answered_by_typing(linked, loaded: Engine) -> None:
    principal = linked("TH-DANGHAI", channel="zalo")
    answer = principal.send("2.1")
    assert answer[0].buttons == ()
    assert "Trả lời 1 — Đã hoàn thành 2.1; 2 — Chưa." in answer[0].text
    assert "2.1 — Hoàn thành" in principal.say("1")
    assert record(loaded, "TH-DANGHAI", "2.1").state == State.DONE
    principal.send("2.2")
    assert "chưa ghi nhận thay đổi nào" in principal.say("2")
    assert record(loaded, "TH-DANGHAI", "2.2").state == State.NOT_STARTED


def test_a_question_expires_after_24_hours(linked, loaded: Engine, clock: Clock) -> None:
    principal = linked("TH-CATBI", channel="zalo")
    principal.send("1.1")
    clock.now += timedelta(hours=24, minutes=1)
    assert "hết hạn" in principal.say("1")
    assert record(loaded, "TH-CATBI", "1.1").state == State.NOT_STARTED
    with session_scope(loaded) as session:
        assert session.exec(select(func.count()).select_from(PendingQuestion)).one() == 0
    principal.send("1.2")
    clock.now += timedelta(hours=25)
    answer = principal.say("chưa")  # a plain "chưa" is not taken by a stale question
    assert "hết hạn" not in answer and "cho biết mã nhiệm vụ" in answer


def test_the_answer_works_after_a_restart(core: Core, linked, loaded: Engine) -> None:
    principal = linked("TH-CATBI", channel="zalo")
    principal.send("1.1")
    restarted = Core(loaded, core.config)  # a new process, same database
    assert "1.1 — Hoàn thành" in Chat(restarted, principal.chat_id, "zalo").say("1")
    assert record(loaded, "TH-CATBI", "1.1").state == State.DONE


def test_a_lone_ok_to_a_reminder_is_asked(core: Core, linked, loaded: Engine) -> None:
    principal = linked("TH-CATBI")
    with session_scope(loaded) as session:
        contact = contact_by_identity(session, channel="telegram", chat_id=principal.chat_id)
        queue(session, [NewMessage(key="t:1", kind="digest", contact_id=contact.id,
                                   channel="telegram", chat_id=principal.chat_id,
                                   text="Nhắc 1.2", items=["1.2"])], now=core.config.now())
        session.exec(update(Outbox).values(message_id="77"))
    answer = principal.send("ok", reply_to="77")
    assert [b.label for b in answer[0].buttons[0]] == ["Đã hoàn thành 1.2", "Chưa"]
    assert principal.say("ok") == "Dạ."  # replying to nothing: just small talk
    assert "1.2 — Hoàn thành" in principal.say("xong rồi ạ", reply_to="77")


def test_staff_prefix_must_name_a_unit(linked, loaded: Engine) -> None:
    staff = linked("PGD")
    refused = staff.say("TH-XYZ xong 1.1")
    assert "Không tìm thấy đơn vị “TH-XYZ”" in refused
    assert record(loaded, "PGD", "1.1").state == State.NOT_STARTED
    near = staff.say("TH-CATBII xong 1.1")
    assert "TH-CATBI" in near and "Có phải" in near
    assert "Đã ghi nhận cho Trường Tiểu học Cát Bi" in staff.say("TH Cát Bi: xong 1.1")
    assert "Đã ghi nhận cho Trường THCS Nam Hải" in staff.say("THCS Nam Hải 2.1 đang làm 50%")
    assert record(loaded, "TH-CATBI", "1.1").state == State.DONE
    assert record(loaded, "PGD", "1.1").state == State.NOT_STARTED


def test_identical_lines_are_folded(linked) -> None:
    answer = linked("TH-CATBI").say("5.1 - 5.4 đang làm 30%, 6.1 xong")
    assert "• 5.1, 5.2, … 5.4 — Đang thực hiện 30%" in answer
    assert "• 6.1 — Hoàn thành" in answer
