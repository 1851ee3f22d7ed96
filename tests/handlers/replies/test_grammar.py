"""The status-reply grammar, as principals actually type: with diacritics, without, NFD."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.replies.grammar import Update, parse
from storage.models import State
from storage.textnorm import fold

D, P, B, N = State.DONE, State.IN_PROGRESS, State.BLOCKED, State.NOT_STARTED

CASES: list[tuple[str, list[Update]]] = [
    # done
    ("xong 1.1", [Update("1.1", D, 100)]),
    ("đã hoàn thành 1.1", [Update("1.1", D, 100)]),
    ("1.1 xong rồi ạ", [Update("1.1", D, 100)]),
    ("hoan thanh 1.1", [Update("1.1", D, 100)]),
    ("ok 1.1", [Update("1.1", D, 100)]),
    ("✅ 1.1", [Update("1.1", D, 100)]),
    ("1.1 100%", [Update("1.1", D, 100)]),
    ("Dạ, trường em đã xong nhiệm vụ 1.1 rồi ạ", [Update("1.1", D, 100)]),
    # in progress
    ("1.2 đang làm", [Update("1.2", P, None)]),
    ("1.2 đang thực hiện 50%", [Update("1.2", P, 50)]),
    ("1.2 được 70%", [Update("1.2", P, 70)]),
    ("1.2 70 %", [Update("1.2", P, 70)]),
    # not done: never done
    ("chưa xong 1.1", [Update("1.1", P, None)]),
    ("1.1 chưa hoàn thành", [Update("1.1", P, None)]),
    ("1.1 chưa làm", [Update("1.1", N, 0)]),
    ("không hoàn thành được 1.1", [Update("1.1", B, None)]),
    ("1.1 ko xong dc", [Update("1.1", P, None)]),
    # blocked with a reason (which keeps its diacritics)
    ("1.1 gặp khó khăn: thiếu kinh phí", [Update("1.1", B, None, "thiếu kinh phí")]),
    ("1.3 vướng mắc do thiếu người, chưa có máy",
     [Update("1.3", B, None, "thiếu người, chưa có máy")]),
    # several tasks, lists and mixed states
    ("xong 1.1, 1.2", [Update("1.1", D, 100), Update("1.2", D, 100)]),
    ("xong 1.1,1.2", [Update("1.1", D, 100), Update("1.2", D, 100)]),
    ("1.1, 1.2 xong", [Update("1.1", D, 100), Update("1.2", D, 100)]),
    ("1.1 xong, 1.2 đang làm 30%", [Update("1.1", D, 100), Update("1.2", P, 30)]),
    ("xong 2.1 2.2 2.3", [Update("2.1", D, 100), Update("2.2", D, 100), Update("2.3", D, 100)]),
    ("xong 1.1 và 1.2 rồi ạ", [Update("1.1", D, 100), Update("1.2", D, 100)]),
    ("xong 1.1, chưa xong 1.2", [Update("1.1", D, 100), Update("1.2", P, None)]),
    ("1.1 xong; 2.1 gặp khó khăn: thiếu kinh phí",
     [Update("1.1", D, 100), Update("2.1", B, None, "thiếu kinh phí")]),
    # bare states (apply to the reminder replied to)
    ("xong rồi ạ", [Update(None, D, 100)]),
    ("đang làm 40%", [Update(None, P, 40)]),
]


def variants(text: str) -> list[str]:
    """As typed, without diacritics, in NFD, and in capitals."""
    return [text, fold(text), unicodedata.normalize("NFD", text), text.upper()]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_phrasings(text: str, expected: list[Update]) -> None:
    for variant in variants(text):
        got = parse(variant).updates
        assert [(u.code, u.state, u.percent) for u in got] == \
            [(u.code, u.state, u.percent) for u in expected], variant
        for g, e in zip(got, expected, strict=True):
            assert fold(g.reason) == fold(e.reason), variant
    assert [u.reason for u in parse(text).updates] == [u.reason for u in expected]


@pytest.mark.parametrize(("text", "period"), [
    ("đã nộp báo cáo quý I", "Q1"),
    ("da nop bao cao quy 1", "Q1"),
    ("nộp báo cáo 6 tháng", "H1"),
    ("đã gửi báo cáo quý III ạ", "Q3"),
    ("nộp báo cáo năm", "Y"),
    ("đã nộp báo cáo đột xuất", "ADHOC"),
    ("đã nộp báo cáo", "?"),
])
def test_report_submissions(text: str, period: str) -> None:
    for variant in variants(text):
        parsed = parse(variant)
        assert (parsed.report, parsed.report_negated, parsed.updates) == (period, False, [])


def test_negated_report_is_not_a_submission() -> None:
    assert parse("chưa nộp báo cáo quý I").report_negated


@pytest.mark.parametrize("text", ["hoàn tác", "hoan tac", "/hoantac", "Hủy", "undo"])
def test_undo(text: str) -> None:
    assert parse(text).undo


def test_links_are_evidence_and_not_codes() -> None:
    parsed = parse("xong 1.1 https://drive.example.vn/d/1.2.3")
    assert parsed.links == ["https://drive.example.vn/d/1.2.3"]
    assert [u.code for u in parsed.updates] == ["1.1"]


@pytest.mark.parametrize("text", ["chào thầy", "", "   ", "ngày 15/3", "???", "1.1"])
def test_not_understood_records_nothing(text: str) -> None:
    assert parse(text).updates == []


def test_code_without_state_is_asked_about() -> None:
    assert parse("1.1").codes_without_state == ["1.1"]


# -- properties ---------------------------------------------------------------------------

NEGATED_DONE = ["chưa xong", "chưa hoàn thành", "không hoàn thành được", "chua xong",
                "chưa hoàn tất", "không xong", "ko xong", "chưa làm xong", "chưa ok"]
FILLER = st.sampled_from(["", "dạ", "thưa thầy", "trường em", "ạ", "nhé", "rồi", "em báo",
                          "hôm nay", "thầy ơi"])
CODES = st.builds(lambda a, b: f"{a}.{b}", st.integers(1, 9), st.integers(1, 9))


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_no_input_crashes(text: str) -> None:
    parse(text)


@given(FILLER, st.sampled_from(NEGATED_DONE), CODES, FILLER, st.booleans(), st.booleans())
@settings(max_examples=400, deadline=None)
def test_negation_is_never_done(before: str, phrase: str, code: str, after: str,
                                code_first: bool, strip: bool) -> None:
    text = f"{before} {code} {phrase} {after}" if code_first else \
        f"{before} {phrase} {code} {after}"
    if strip:
        text = fold(text)
    for update in parse(text).updates:
        assert update.state != State.DONE, text
