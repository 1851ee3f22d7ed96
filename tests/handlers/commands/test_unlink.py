"""/huylienket: a person unlinks themselves; an admin revokes someone's links; nobody
else may. A revoked link stops working at the very next message."""

from handlers.commands import texts


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
