"""/nhiemvu: a school's tasks with their state and deadline."""


def test_a_principal_sees_the_schools_tasks(linked) -> None:
    tasks = linked("TH-CATBI").say("/nhiemvu")
    assert "1.1 Xây dựng kế hoạch cải cách hành chính năm 2024" in tasks
    assert "1.3" not in tasks


def test_staff_see_any_schools_tasks(linked) -> None:
    assert tasks_head("TRƯỜNG TIỂU HỌC CÁT BI") in linked("PGD").say("/nhiemvu TH-CATBI")


def tasks_head(unit: str) -> str:
    return f"NHIỆM VỤ CỦA {unit}"
