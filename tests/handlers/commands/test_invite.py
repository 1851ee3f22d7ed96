"""/moi: admins make invite codes in chat."""



from handlers.core import Core
from tests.handlers.conftest import Chat


def test_admin_issues_invites_in_chat(linked, core: Core) -> None:
    admin = linked("0900000103")
    answer = admin.say("/moi TH-CATBI")
    assert "Mã mời cho" in answer and "https://t.me/nhacviec_bot?start=" in answer
    code = answer.split("): ")[1].split(" ")[0]
    assert "Kính chào" in Chat(core, "new").say(f"/start {code}")
    assert "chỉ dành cho" in linked("PGD").say("/moi TH-CATBI")
