"""The reply grammar, as principals actually type: with diacritics, without, NFD, capitals;
and the safety properties that no surrounding words can break."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.replies.grammar import Doubt, Kind, Said, Update, parse
from storage.textnorm import fold

D, P, B, N, ND = Said.DONE, Said.PROGRESS, Said.BLOCKED, Said.NOT_STARTED, Said.NOT_DONE

CASES: list[tuple[str, list[Update]]] = [
    ("xong 1.1", [Update("1.1", D)]),
    ("Dạ, trường em đã xong nhiệm vụ 1.1 rồi ạ", [Update("1.1", D)]),
    ("NV2.2 đã hoàn tất", [Update("2.2", D)]),
    ("1.2 đang thực hiện 50%", [Update("1.2", P, 50)]),
    ("1.2 làm được một nửa rồi ạ", [Update("1.2", P, 50)]),
    ("1.2 đang làm 99,5%", [Update("1.2", P, 99)]),
    ("1.1 chưa làm", [Update("1.1", N, 0)]),
    ("1.1 hoàn thành 0%", [Update("1.1", N, 0)]),
    ("chưa xong 2.2 100%", [Update("2.2", ND)]),
    ("1.1 gặp khó khăn: thiếu kinh phí", [Update("1.1", B, None, "thiếu kinh phí")]),
    ("2.1 vướng mắc do thiếu người, chưa có máy",
     [Update("2.1", B, None, "thiếu người, chưa có máy")]),
    ("1.1 xong, 1.2 chưa", [Update("1.1", D), Update("1.2", ND)]),
    ("xong 1.1 và 1.2 chưa", [Update("1.1", D), Update("1.2", ND)]),
    ("1.1 đã xong nhưng 1.2 chưa", [Update("1.1", D), Update("1.2", ND)]),
    ("xong 2.1 đến 2.3", [Update("2.1", D), Update("2.2", D), Update("2.3", D)]),
    ("1.1 xong 1.2 đang làm 50% 2.1 chưa làm",
     [Update("1.1", D), Update("1.2", P, 50), Update("2.1", N, 0)]),
    ("xog 1.1", [Update("1.1", D)]),
    ("1.1 hoan thah", [Update("1.1", D)]),
    ("1.1 ko xong dc", [Update("1.1", ND)]),
    # not done, and why: the reason is read (the principal is told it is not kept)
    ("ko xong dc 1.1 vi thieu kp", [Update("1.1", ND, None, "thieu kp")]),
    ("1.2 chưa xong vì đang chờ Sở phê duyệt ạ",
     [Update("1.2", ND, None, "đang chờ Sở phê duyệt")]),
    ("chưa làm 2.1 do chưa có hướng dẫn", [Update("2.1", N, 0, "chưa có hướng dẫn")]),
    ("chưa xong 1.1 đơn vị đang làm", [Update("1.1", ND)]),  # "vị" is not "vì"
    ("1.1 chưa xong đó thầy", [Update("1.1", ND)]),  # "đó" is not "do"
    ("1.1 chưa tải lên được ạ", [Update("1.1", ND)]),  # "tải" is not "tại"
    # states before their codes, all along: the middle words lead the next code
    ("xong 1.1 chưa xong 1.2", [Update("1.1", D), Update("1.2", ND)]),
    ("xong 1.1 chưa xong 1.2 vì thiếu kp",
     [Update("1.1", D), Update("1.2", ND, None, "thiếu kp")]),
    # taken back: "à nhầm" withdraws what came before it
    ("1.1 xong. À nhầm, 1.2 xong ạ", [Update("1.2", D)]),
    ("2.2 80%, à nhầm 2.3 80% ạ", [Update("2.3", P, 80)]),
    # how far is not one number: in progress, no percentage
    ("7.1 7.3 đang làm lần lượt 40% và 60% ạ", [Update("7.1", P), Update("7.3", P)]),
    ("1.2 tầm 70-80%", [Update("1.2", P)]),
    ("1.1 xong ngày 2/3", [Update("1.1", D)]),  # a day, said as one
    ("2.2 gặp khó khăn: thiếu máy chiếu ạ, em cảm ơn thầy nhiều nhé",
     [Update("2.2", B, None, "thiếu máy chiếu")]),
    ("2.2 khó khăn về cơ sở vật chất, mong phòng hỗ trợ",
     [Update("2.2", B, None, "về cơ sở vật chất")]),
    # partly done is in progress
    ("1.1 xong một phần", [Update("1.1", P)]),
    ("1.1 xong phần 1, phần 2 chưa", [Update("1.1", P)]),
    ("1.1 làm xong phần lớn rồi", [Update("1.1", P)]),
    # a difficulty denied is none: what else is said counts
    ("1.1 không gặp khó khăn gì ạ, đang làm", [Update("1.1", P)]),
    ("1.1 ko vướng mắc gì, xong r ạ", [Update("1.1", D)]),
    ("1.1 đã khắc phục được khó khăn, hoàn thành rồi ạ", [Update("1.1", D)]),
    # what is around a reason is not part of it
    ("1.1 vướng quá cô ạ", [Update("1.1", B)]),
    ("1.1 gặp khó khăn: thiếu kinh phí nhé thầy", [Update("1.1", B, None, "thiếu kinh phí")]),
    ("1.1 gặp khó khăn: thiếu kinh phí, thầy", [Update("1.1", B, None, "thiếu kinh phí")]),
    ("1.1 gặp khó khăn 😭 thiếu kp", [Update("1.1", B, None, "thiếu kp")]),
    ("1.1 gặp khó khăn (thiếu kp)", [Update("1.1", B, None, "thiếu kp")]),
    ("1.1 không thể làm được vì thiếu kp", [Update("1.1", B, None, "thiếu kp")]),
    ("1.1 gặp khó khăn:\n- thiếu kp\n- thiếu gv", [Update("1.1", B, None, "thiếu kp; thiếu gv")]),
    # polite words around a difficulty are not its reason: no reason, so it is asked for
    ("1.1 chưa làm được ạ", [Update("1.1", B)]),
    ("1.1 không làm được ạ thầy ơi", [Update("1.1", B)]),
    ("1.1 vướng quá ạ", [Update("1.1", B)]),
    ("1.1 chưa làm được ạ, vì thiếu kinh phí ạ", [Update("1.1", B, None, "thiếu kinh phí")]),
    ("2.1 gặp khó khăn vì thiếu máy tính nhé cô ơi",
     [Update("2.1", B, None, "thiếu máy tính")]),
    ("Dạ 5.4 vướng ạ: chưa có hướng dẫn của Sở ạ",
     [Update("5.4", B, None, "chưa có hướng dẫn của Sở")]),
    ("xong rồi ạ", [Update(None, D)]),
]


def variants(text: str) -> list[str]:
    """As typed, without diacritics, in NFD, and in capitals."""
    return [text, fold(text), unicodedata.normalize("NFD", text), text.upper()]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_phrasings(text: str, expected: list[Update]) -> None:
    for variant in variants(text):
        got = parse(variant).updates
        assert [(u.code, u.said, u.percent) for u in got] == \
            [(u.code, u.said, u.percent) for u in expected], variant
        assert [fold(u.reason) for u in got] == [fold(u.reason) for u in expected], variant
    assert [u.reason for u in parse(text).updates] == [u.reason for u in expected]


@pytest.mark.parametrize(("text", "kind"), [
    ("1.2 xong chưa ạ?", Kind.QUESTION),
    ("1.2 xong roi ha thay", Kind.QUESTION),  # "xong rồi hả thầy", typed without accents
    ("1.2 xong r sao thầy", Kind.QUESTION),
    ("1.1 xong rồi phải không ạ", Kind.QUESTION),
    ("Hạn nộp báo cáo quý I là ngày nào vậy?", Kind.QUESTION),
    ("em sẽ hoàn thành 1.2 vào thứ sáu", Kind.INTENTION),
    ("mai em làm xong 1.1", Kind.INTENTION),
    ("em sẽ nộp báo cáo quý I vào thứ sáu", Kind.INTENTION),
    ("1.2 sắp xong rồi ạ", Kind.NEAR),
    ("chào bot", Kind.SMALLTALK),
    ("Dạ em cảm ơn", Kind.SMALLTALK),
    ("👍", Kind.SMALLTALK),
    ("cho em hỏi số điện thoại phòng mình với ạ", Kind.OFFTOPIC),
    ("asdfgh", Kind.GIBBERISH),
    ("đã nộp báo cáo quý I", Kind.REPORT),
    ("chưa nộp báo cáo quý I", Kind.REPORT_NOT),
    ("nhắc lại sau 2 giờ", Kind.SNOOZE),
    ("tạm dừng nhắc đến 15/8", Kind.PAUSE),
    ("hoàn tác", Kind.UNDO),
    ("đã nhận", Kind.ACK),
])
def test_what_a_message_is(text: str, kind: Kind) -> None:
    for variant in variants(text):
        parsed = parse(variant)
        assert parsed.kind == kind, variant
        assert parsed.updates == [], variant


@pytest.mark.parametrize("text", [
    "1.1", "nhiệm vụ 2.1", "1.1 rồi ạ", "1.1 xong rồi, à chưa",
    # done, then taken back: "đã làm nhưng chưa xong" is not done
    "1.1 đã làm nhưng chưa xong", "1.1 đã thực hiện nhưng chưa hoàn thành ạ",
    # hedged: "hình như", "có lẽ", "chắc" (not "chắc chắn"), "em nghĩ là"
    "1.1 hình như xong rồi", "1.1 có lẽ đã hoàn thành", "1.1 em nghĩ là xong rồi ạ",
    "1.1 chắc xong rồi ạ", "chắc 1.1 xong rồi",
    # basically done; a share of the work or a day; a step still open after "done"
    "1.1 cơ bản xong rồi ạ", "1.1 xong đc 3/4 rồi ạ", "1.1 xong 2/3 công việc",
    "1.1 làm xong rồi, chỉ còn chờ ký duyệt", "1.1 xong r nhưng còn chờ ký duyệt ạ"])
def test_a_task_without_a_certain_state_is_a_doubt(text: str) -> None:
    for variant in variants(text):
        parsed = parse(variant)
        code = "2.1" if "2.1" in text else "1.1"
        assert (parsed.updates, parsed.doubts) == ([], [Doubt(code)]), variant


@pytest.mark.parametrize("text", ["5.1 đã lát xong 200 mét vuông sân trường",
                                  "5.1 ko còn khó khăn nữa, xong r ạ"])
def test_words_that_fold_alike_differ_when_typed_with_accents(text: str) -> None:
    """"vuông" (square) is not "vướng" (stuck), "nữa" (any more) is not "nửa" (half).
    Without accents they stay ambiguous ("met vuong" reads as "vướng")."""
    for variant in [text, unicodedata.normalize("NFD", text), text.upper()]:
        assert parse(variant).updates == [Update("5.1", Said.DONE)], variant


def test_a_hedged_state_other_than_done_is_not_written() -> None:
    parsed = parse("1.1 hình như chưa làm")
    assert (parsed.updates, parsed.doubts, parsed.unwritten) == ([], [], ["1.1"])
    assert parse("hình như xong rồi ạ").doubts == [Doubt(None)]  # to a reminder: asked
    assert parse("1.1 chắc chắn đã xong").updates == [Update("1.1", Said.DONE)]


@pytest.mark.parametrize("text", ["1.2 đang làm 1100%", "1.2 đang làm -5%", "1.2 150%",
                                  "1.2 đang làm 100.5%"])
def test_numbers_out_of_range_are_refused(text: str) -> None:
    parsed = parse(text)
    assert (parsed.updates, parsed.out_of_range) == ([], ["1.2"])


def test_links_are_evidence_and_not_codes() -> None:
    parsed = parse("xong 1.1 https://drive.example.vn/d/1.2.3")
    assert parsed.links == ["https://drive.example.vn/d/1.2.3"]
    assert [u.code for u in parsed.updates] == ["1.1"]


# -- properties ---------------------------------------------------------------------------

CODES = st.builds(lambda a, b: f"{a}.{b}", st.integers(1, 9), st.integers(1, 9))
FILLER = st.sampled_from(["", "dạ", "thưa thầy", "trường em", "ạ", "nhé", "rồi", "em báo",
                          "hôm nay", "thầy ơi", "🙏", "👍", "✅", "100%", "xong", "đã xong",
                          "50%", "hoàn thành", "ok", "nhiệm vụ", "và"])
NEGATED = ["chưa xong", "chưa hoàn thành", "chua xong", "chưa hoàn tất", "không xong",
           "ko xong", "k xong", "kg xong", "chưa làm xong", "chưa ok", "chẳng xong",
           "đâu có xong", "chưa xong 100%", "chx xong", "chưa"]
QUESTIONS = ["xong chưa ạ?", "đã hoàn thành chưa", "xong chưa nhỉ", "xong không ạ",
             "xong rồi phải không", "xong rồi à?", "bao giờ xong", "hoàn thành ngày nào",
             "làm thế nào ạ", "có phải xong rồi không"]
INTENTIONS = ["sẽ xong", "sẽ hoàn thành 100%", "định hoàn thành", "dự kiến xong",
              "mai xong", "tuần sau xong", "cuối tháng hoàn thành", "chuẩn bị xong",
              "em hứa sẽ xong", "tháng sau mới xong"]
SEPARATORS = st.sampled_from([", ", "; ", ". ", "\n", " nhưng ", " còn "])


def _message(before: str, phrase: str, code: str, after: str, code_first: bool,
             other: str, other_code: str, sep: str) -> tuple[str, str]:
    code_first = code_first or phrase.endswith("?")  # "?" closes the clause it ends
    clause = f"{before} {code} {phrase}" if code_first else f"{before} {phrase} {code}"
    text = f"{clause} {after}" if not phrase.endswith("?") else clause
    if other_code != code:
        text = f"{text}{sep}{other_code} {other}"
    return text, code


def _never_done(phrases: list[str]):  # noqa: ANN202
    @given(FILLER, st.sampled_from(phrases), CODES, FILLER, st.booleans(), FILLER, CODES,
           SEPARATORS, st.sampled_from(["as typed", "folded", "NFD"]))
    @settings(max_examples=500, deadline=None)
    def prop(before: str, phrase: str, code: str, after: str, code_first: bool, other: str,
             other_code: str, sep: str, form: str) -> None:
        text, code = _message(before, phrase, code, after, code_first, other, other_code, sep)
        text = {"as typed": text, "folded": fold(text),
                "NFD": unicodedata.normalize("NFD", text)}[form]
        for update in parse(text).updates:
            assert not (update.code == code and update.said == Said.DONE), text
    return prop


test_negation_around_a_code_is_never_done = _never_done(NEGATED)
test_a_question_about_a_code_is_never_done = _never_done(QUESTIONS)
test_an_intention_about_a_code_is_never_done = _never_done(INTENTIONS)


@given(st.sampled_from(["", "đang làm ", "được ", "đạt ", "hoàn thành ", "xong "]),
       st.one_of(st.integers(101, 100000), st.integers(-1000, -1)),
       st.sampled_from(["%", " %", " phần trăm"]), CODES, FILLER)
@settings(max_examples=300, deadline=None)
def test_percentages_outside_0_to_100_are_never_written(words: str, number: int, sign: str,
                                                        code: str, after: str) -> None:
    parsed = parse(f"{code} {words}{number}{sign} {after}")
    assert all(u.code != code for u in parsed.updates)


PHRASES = st.sampled_from([c[0] for c in CASES] + [
    "1.2 xong chưa ạ?", "em sẽ hoàn thành 1.2 vào thứ sáu", "1.2 sắp xong rồi ạ",
    "đã nộp báo cáo quý I", "chào bot", "cảm ơn ạ", "1.1 gặp khó khăn: thiếu kinh phí"])


@given(PHRASES, st.sampled_from(["", " ạ", " 🙏", " thầy ơi"]))
@settings(max_examples=200, deadline=None)
def test_nfc_nfd_and_no_diacritics_parse_alike(text: str, tail: str) -> None:
    text += tail

    def shape(t: str) -> tuple:
        p = parse(t)
        return (p.kind, [(u.code, u.said, u.percent, fold(u.reason)) for u in p.updates],
                p.doubts, p.out_of_range, p.report)
    assert shape(text) == shape(unicodedata.normalize("NFD", text)) == shape(fold(text))


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_no_input_crashes(text: str) -> None:
    parse(text)
