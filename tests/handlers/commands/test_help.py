"""/giup: how to answer, and the commands this person may use."""


def test_help_shows_how_to_answer_and_only_ones_own_commands(linked) -> None:
    principal = linked("TH-CATBI")
    assert "xong 1.1" in principal.say("/giup")
    assert "Dành cho chuyên viên" not in principal.say("/giup")
    assert "Dành cho chuyên viên" in linked("PGD").say("/huongdan")
