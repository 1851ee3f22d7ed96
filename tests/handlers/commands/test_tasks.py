"""/nhiemvu: a school's tasks with their state and deadline."""


def test_a_principal_sees_the_schools_tasks(linked) -> None:
    tasks = linked("TH-CATBI").say("/nhiemvu")
    assert "1.1 Xây dựng kế hoạch cải cách hành chính năm 2024" in tasks
    assert "1.3" not in tasks


def test_staff_see_any_schools_tasks(linked) -> None:
    assert tasks_head("TRƯỜNG TIỂU HỌC CÁT BI") in linked("PGD").say("/nhiemvu TH-CATBI")


def test_staff_naming_an_unknown_school_are_told_so_not_shown_their_own(linked) -> None:
    answer = linked("PGD").say("/nhiemvu TH-CATBII")
    assert "Không tìm thấy đơn vị “TH-CATBII”" in answer and "TH-CATBI" in answer
    assert "NHIỆM VỤ CỦA" not in answer


def test_staff_may_name_the_school_in_words(linked) -> None:
    assert tasks_head("TRƯỜNG TIỂU HỌC CÁT BI") in linked("PGD").say("/nhiemvu Tiểu học Cát Bi")


def tasks_head(unit: str) -> str:
    return f"NHIỆM VỤ CỦA {unit}"
