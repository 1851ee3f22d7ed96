"""Whole conversations with the core, as principals and staff would have them."""


from sqlalchemy import Engine
from sqlmodel import select

from handlers.core import Core
from handlers.messages import Action, ActionKind
from storage.db import session_scope
from storage.models import Assignment, History, State, Submission, Task, Unit
from tests.handlers.conftest import Chat, Clock, invite_code


def record(engine: Engine, unit_code: str, task_code: str) -> Assignment:
    with session_scope(engine) as session:
        return session.exec(select(Assignment).join(Task).join(Unit).where(
            Unit.code == unit_code, Task.code == task_code)).one()


def test_a_day_in_the_life(core: Core, loaded: Engine, clock: Clock, linked) -> None:
    stranger = Chat(core, "stranger-1")
    answer = stranger.say("xong 1.1")
    assert "chưa được liên kết" in answer and "/start" in answer
    assert "Cát Bi" not in answer and "1.2" not in answer

    principal = linked("TH-CATBI")
    answer = principal.say("xong 1.1, 1.2 đang làm 30%, 2.1 gặp khó khăn: thiếu kinh phí")
    assert "Đã ghi nhận" in answer
    assert "1.1 — Hoàn thành (đúng hạn)" not in answer  # 1.1 was due 29/2: late
    assert "1.1 — Hoàn thành (quá hạn 20 ngày)" in answer
    assert "1.2 — Đang thực hiện 30%" in answer
    assert "2.1 — Gặp khó khăn: thiếu kinh phí" in answer
    assert record(loaded, "TH-CATBI", "1.2").percent == 30

    answer = principal.say("hoàn tác")
    assert "Đã hoàn tác" in answer
    assert record(loaded, "TH-CATBI", "1.1").state == State.NOT_STARTED
    assert record(loaded, "TH-CATBI", "2.1").state == State.NOT_STARTED

    answer = principal.say("xong 1.3")  # the office's own task
    assert "không có trong danh sách giao cho trường" in answer
    assert "1.1, 1.2, 2.1" in answer
    assert record(loaded, "PGD", "1.3").state == State.NOT_STARTED

    principal.say("xong 1.1 1.2 2.1")
    staff = linked("PGD")
    report = staff.say("/baocao")
    assert "TH-CATBI Trường Tiểu học Cát Bi — 3/14" in report
    assert "TH-CATBI" not in report.split("Chưa trả lời")[1].split("\n")[0]
    assert "MN-CATBI" in report.split("Chưa trả lời")[1]


def test_one_bad_code_changes_nothing(linked, loaded: Engine) -> None:
    principal = linked("TH-CATBI")
    answer = principal.say("xong 1.1, 9.9")
    assert "9.9" in answer and "Chưa có thay đổi" in answer
    assert record(loaded, "TH-CATBI", "1.1").state == State.NOT_STARTED


def test_principal_cannot_touch_another_school(linked, loaded: Engine) -> None:
    principal = linked("TH-CATBI")
    answer = principal.say("MN-CATBI xong 1.1")
    assert "chỉ cập nhật được nhiệm vụ của trường mình" in answer
    assert record(loaded, "MN-CATBI", "1.1").state == State.NOT_STARTED
    assert record(loaded, "TH-CATBI", "1.1").state == State.NOT_STARTED
    principal.say("TH-CATBI xong 1.1")  # naming one's own school is fine
    assert record(loaded, "TH-CATBI", "1.1").state == State.DONE
    assert "baocao" not in principal.say("/baocao").lower()
    assert "chỉ dành cho chuyên viên" in principal.say("/baocao")


def test_staff_records_on_behalf_and_history_says_so(linked, loaded: Engine) -> None:
    staff = linked("PGD")
    answer = staff.say("TH-CATBI xong 1.1")
    assert "Đã ghi nhận cho Trường Tiểu học Cát Bi" in answer
    with session_scope(loaded) as session:
        row = session.exec(select(History).where(History.action == "record")).one()
        assert row.on_behalf and row.raw_text == "xong 1.1" and row.channel == "telegram"
        assert row.old["state"] == "not_started" and row.new["state"] == "done"


def test_bare_reply_uses_the_reminder_context(core: Core, linked, loaded: Engine) -> None:
    from storage.models import Contact, Identity, Outbox

    principal = linked("TH-CATBI")
    assert "cho biết mã nhiệm vụ" in principal.say("xong rồi ạ")
    with session_scope(loaded) as session:
        identity = session.exec(select(Identity).where(
            Identity.chat_id == principal.chat_id)).one()
        contact = session.get(Contact, identity.contact_id)
        session.add(Outbox(key="t", kind="digest", contact_id=contact.id, channel="telegram",
                           chat_id=principal.chat_id, text="…", items=["1.2"],
                           message_id="777"))
    answer = principal.say("đang làm 40%", reply_to="777")
    assert "1.2 — Đang thực hiện 40%" in answer


def test_evidence_with_and_after_the_update(linked, loaded: Engine) -> None:
    principal = linked("TH-CATBI")
    principal.say("xong 1.1 https://drive.example.vn/kehoach")
    assert record(loaded, "TH-CATBI", "1.1").evidence == "https://drive.example.vn/kehoach"
    principal.say("xong 1.2")
    answer = principal.say("", file="tg-file-123")
    assert "Đã lưu minh chứng cho nhiệm vụ 1.2" in answer
    assert record(loaded, "TH-CATBI", "1.2").evidence == "tg-file-123"
    assert record(loaded, "TH-CATBI", "1.2").state == State.DONE


def test_report_submission_and_its_undo(linked, loaded: Engine) -> None:
    principal = linked("TH-CATBI")
    answer = principal.say("đã nộp báo cáo quý I")
    assert "đã nộp báo cáo quý I năm 2024" in answer
    assert "đã được ghi nhận" in principal.say("da nop bao cao quy 1")
    with session_scope(loaded) as session:
        assert len(session.exec(select(Submission)).all()) == 1
    principal.say("hoàn tác")
    with session_scope(loaded) as session:
        assert session.exec(select(Submission)).all() == []




def test_one_person_on_two_channels(core: Core, loaded: Engine, clock: Clock, linked) -> None:
    principal = linked("TH-CATBI")
    zalo = Chat(core, "zalo-9", "zalo")
    zalo.say(f"/start {invite_code(loaded, 'TH-CATBI', clock)}")
    assert "Telegram, Zalo" in principal.say("/lienket")
    zalo.say("xong 1.1")
    assert record(loaded, "TH-CATBI", "1.1").state == State.DONE




def test_buttons_are_understood(linked, loaded: Engine) -> None:
    principal = linked("TH-CATBI")
    answer = principal.say(action=Action(ActionKind.STATUS, "1.2", State.DONE))
    assert "1.2 — Hoàn thành" in answer
    principal.say(action=Action(ActionKind.UNDO))
    assert record(loaded, "TH-CATBI", "1.2").state == State.NOT_STARTED


def test_code_without_state_is_asked_back(linked) -> None:
    answer = linked("TH-CATBI").send("1.1")
    assert "xác nhận" in answer[0].text
    assert [b.label for b in answer[0].buttons[0]] == ["Đã hoàn thành 1.1", "Chưa"]


def test_unknown_command_and_gibberish(linked) -> None:
    principal = linked("TH-CATBI")
    assert "chưa hiểu" in principal.say("/abc")
    assert "chưa hiểu" in principal.say("hôm nay trời đẹp quá")


def test_a_batch_of_messages_sees_its_own_writes(core: Core, linked, loaded: Engine) -> None:
    from handlers.messages import Incoming

    principal = linked("TH-CATBI")
    chat = principal.chat_id
    answers = core.handle_many([Incoming("telegram", chat, "xong 1.1"),
                                Incoming("telegram", chat, "/nhiemvu"),
                                Incoming("telegram", chat, "hoàn tác"),
                                Incoming("telegram", chat, "/nhiemvu")])
    texts_ = ["\n".join(m.text for m in a) for a in answers]
    assert "1.1 — Hoàn thành" in texts_[0]
    assert "• 1.1 Xây dựng kế hoạch cải cách hành chính năm 2024\n   Hoàn thành" in texts_[1]
    assert "1.1 — Chưa thực hiện" in texts_[2]
    assert "• 1.1 Xây dựng kế hoạch cải cách hành chính năm 2024\n   Chưa thực hiện" \
        in texts_[3]
    assert record(loaded, "TH-CATBI", "1.1").state == State.NOT_STARTED


def test_one_failing_message_does_not_sink_the_batch(core: Core, linked, loaded: Engine,
                                                      monkeypatch) -> None:
    from handlers.messages import Incoming
    from handlers.replies import grammar

    principal = linked("TH-CATBI")
    real = grammar.parse

    def flaky(text: str):  # noqa: ANN202
        if text == "boom":
            raise RuntimeError("boom")
        return real(text)

    monkeypatch.setattr("handlers.replies.status.parse", flaky)
    answers = core.handle_many([Incoming("telegram", principal.chat_id, "xong 1.1"),
                                Incoming("telegram", principal.chat_id, "boom"),
                                Incoming("telegram", principal.chat_id, "xong 1.2")])
    assert "sự cố" in answers[1][0].text
    assert record(loaded, "TH-CATBI", "1.1").state == State.DONE
    assert record(loaded, "TH-CATBI", "1.2").state == State.DONE
