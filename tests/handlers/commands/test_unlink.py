"""/huylienket: a person unlinks themselves; an admin revokes someone's links; nobody
else may. A revoked link stops working at the very next message."""

from handlers.commands import texts
from handlers.messages import Incoming
from tests.handlers.conftest import invite_code


def test_unlinking_oneself(linked) -> None:
    principal = linked("TH-CATBI")
    assert texts.unlinked_self("Phòng GD&ĐT") in principal.say("/huylienket")
    assert "chưa được liên kết" in principal.say("xong 1.1")


def test_an_admin_revokes_a_school_at_once(linked) -> None:
    principal, admin = linked("TH-CATBI"), linked("0900000103")
    assert "Đã hủy 1 liên kết của" in admin.say("/huylienket TH-CATBI")
    assert "chưa được liên kết" in principal.say("xong 1.1")
    assert texts.UNLINK_NOBODY in admin.say("/huylienket TH-NOPE")


def test_only_an_admin_revokes_others(linked) -> None:
    principal, staff = linked("TH-CATBI"), linked("PGD")
    assert "chỉ dành cho" in staff.say("/huylienket TH-CATBI")
    assert "Đã ghi nhận" in principal.say("xong 1.1")


def test_an_impossible_date_is_refused(linked) -> None:
    staff = linked("PGD")
    answer = staff.say("/kiemtra TH-CATBI 31/2")
    assert "“31/2” không có trong lịch" in answer and "Đã ghi nhận" not in answer
    assert "28/2/2024" in staff.say("/kiemtra TH-CATBI 28/2")


def test_within_one_wave_a_link_or_revocation_holds_for_the_messages_after_it(
        linked, core, loaded, clock) -> None:
    """The inbox hands the core a wave of messages in one transaction; the people behind
    them are read once for the wave, and again after any command."""
    principal, admin = linked("TH-CATBI"), linked("0900000103")
    wave = [Incoming("telegram", "new-chat", f"/start {invite_code(loaded, 'MN-CATBI', clock)}"),
            Incoming("telegram", "new-chat", "xong 1.1"),
            Incoming("telegram", principal.chat_id, "xong 1.2"),
            Incoming("telegram", admin.chat_id, "/huylienket TH-CATBI"),
            Incoming("telegram", principal.chat_id, "xong 1.3")]
    answers = ["\n".join(m.text for m in out) for out in core.handle_many(wave)]
    assert "Kính chào" in answers[0]
    assert "Đã ghi nhận" in answers[1]  # linked by the message before it
    assert "Đã ghi nhận" in answers[2]
    assert "Đã hủy 1 liên kết của" in answers[3]
    assert "chưa được liên kết" in answers[4] and "Đã ghi nhận" not in answers[4]
