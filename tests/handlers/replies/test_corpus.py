"""The gate on the labelled corpus (corpus.txt): what a careful clerk would write, or ask.

    0 false "done" · 0 writes from questions or intentions ·
    ≥ 97% exact on the rest · "ask" on at most 3% of the clear messages

`python3 -m tests.handlers.replies.corpus_report` prints precision and recall per category.
"""

from collections import Counter

from tests.handlers.replies.corpus import Result, kind_of, rows, run, writes


def _show(results: list[Result]) -> str:
    return "\n".join(f"line {r.row.line}: {r.row.message!r} → {list(r.got)} "
                     f"(expected {list(r.row.expected)})" for r in results)


def test_the_corpus_is_big_and_covers_every_category() -> None:
    corpus = rows()
    assert len(corpus) >= 600
    families = Counter(r.family for r in corpus)
    for family in ("table", "done", "progress", "notdone", "blocked", "mixed", "list",
                   "question", "intention", "near", "range", "ask", "context", "teencode",
                   "report", "snooze", "pause", "undo", "ack", "evidence", "smalltalk",
                   "offtopic", "gibberish", "staff", "staff_bad"):
        assert families[family] >= 5, family
    assert sum(r.staff for r in corpus) >= 40


def test_no_false_done() -> None:
    wrong = [r for r in run() if r.false_done]
    assert not wrong, _show(wrong)


def test_no_writes_from_questions_or_intentions() -> None:
    wrong = [r for r in run() if r.silent and writes(r.got)]
    assert not wrong, _show(wrong)


def test_at_least_97_percent_exact_on_the_rest() -> None:
    rest = [r for r in run() if not r.silent]
    wrong = [r for r in rest if not r.exact]
    assert len(wrong) <= 0.03 * len(rest), _show(wrong)


def test_asks_back_on_at_most_3_percent_of_clear_messages() -> None:
    clear = [r for r in run() if r.clear]
    asked = [r for r in clear if r.asked]
    assert len(asked) <= 0.03 * len(clear), _show(asked)


def test_every_row_of_the_issue_table_gives_what_a_clerk_would_write() -> None:
    table = [r for r in run() if r.row.family == "table"]
    assert len(table) >= 23
    wrong = [r for r in table if not r.exact]
    assert not wrong, _show(wrong)


def test_outcome_classes_are_known() -> None:
    known = {"write", "ask", "bad", "which", "refuse", "unit", "question", "intention", "near",
             "report", "report_not", "snooze", "pause", "undo", "ack", "evidence",
             "smalltalk", "offtopic", "gibberish", "nothing"}
    assert {kind_of(r.row.expected) for r in run()} <= known
