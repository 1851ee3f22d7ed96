"""Every text entry point against random input: no crash, and a message that was not
understood changes nothing."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import func, select

from handlers import texts
from handlers.core import Core
from handlers.messages import Incoming
from handlers.replies.grammar import Kind, parse
from handlers.replies.status import ANSWER
from storage.db import session_scope
from storage.models import History, Outbox, Pause, Submission

ODD = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl"]), max_size=50),
    st.text(alphabet="xongđanglàm1.23%,;: chưa✅ạỆ\u0301\u0300", max_size=80),
    st.sampled_from(["x" * 10_000, "xong 1.1 " * 1200, "1." * 3000, "٣.٤ xong", "１.１ xong",
                     "xong 1.1\x00", "Xong 99.99", "đã nộp báo cáo quý XX", "\u202exong 1.1"]),
    st.builds(lambda c, a: f"/{c} {a}", st.sampled_from(
        ["baocao", "nhiemvu", "start", "moi", "nhacnho", "yeucau", "thongbao", "nghi",
         "kiemtra", "giup", "lienket", "hoantac", "xyz", "BAOCAO"]), st.text(max_size=60)),
)
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def counts(engine: Engine) -> tuple[int, ...]:
    with session_scope(engine) as session:
        return tuple(session.exec(select(func.count()).select_from(t)).one()
                     for t in (History, Submission, Outbox, Pause))


SILENT = (Kind.GIBBERISH, Kind.SMALLTALK, Kind.OFFTOPIC, Kind.QUESTION, Kind.INTENTION,
          Kind.NEAR)


@SETTINGS
@given(text=ODD)
def test_principal_input_never_crashes(linked, loaded: Engine, text: str) -> None:
    principal = linked("TH-CATBI", chat_id="fuzz-p")
    before = counts(loaded)
    answer = principal.say(text)
    assert answer and texts.FAILED not in answer
    parsed = parse(text)
    if not text.strip().startswith("/") and parsed.kind in SILENT and not parsed.links and \
            not ANSWER.match(text):
        assert counts(loaded) == before, text


@SETTINGS
@given(text=ODD)
def test_staff_and_stranger_input_never_crashes(linked, core: Core, loaded: Engine,
                                                text: str) -> None:
    staff = linked("PGD", chat_id="fuzz-s")
    assert texts.FAILED not in staff.say(text)
    before = counts(loaded)
    answers = core.handle(Incoming("telegram", "fuzz-stranger", text))
    assert len(answers) == 1 and answers[0].file is None
    assert counts(loaded) == before


@SETTINGS
@given(data=st.text(max_size=80))
def test_button_data_never_crashes(linked, data: str) -> None:
    assert texts.FAILED not in linked("TH-CATBI", chat_id="fuzz-b").say(callback=data)
