"""Precision and recall of the reply grammar on the labelled corpus, per category.

    python3 -m tests.handlers.replies.corpus_report [-v]

Per corpus category (the way it was labelled): rows and exact matches. Per outcome class
(write, ask, question, smalltalk …): precision (of the messages the grammar put in that
class, how many belong there) and recall (of the messages that belong there, how many it
found). Then the four gate figures; -v lists every row that is not exact.
"""

from __future__ import annotations

import sys
from collections import Counter

from tests.handlers.replies.corpus import kind_of, run, writes


def main(argv: list[str]) -> int:
    results = run()
    by_family: dict[str, list[bool]] = {}
    for r in results:
        by_family.setdefault(r.row.family, []).append(r.exact)
    print(f"{'category':<12} {'rows':>5} {'exact':>6} {'recall':>7}")
    for family, exact in sorted(by_family.items()):
        print(f"{family:<12} {len(exact):>5} {sum(exact):>6} {sum(exact) / len(exact):>7.1%}")

    predicted, expected, correct = Counter(), Counter(), Counter()
    for r in results:
        want, got = kind_of(r.row.expected), kind_of(r.got)
        expected[want] += 1
        predicted[got] += 1
        if r.exact:
            correct[want] += 1
    print(f"\n{'outcome':<12} {'expected':>8} {'given':>6} {'precision':>10} {'recall':>7}")
    for name in sorted(expected | predicted):
        precision = correct[name] / predicted[name] if predicted[name] else 0.0
        recall = correct[name] / expected[name] if expected[name] else 0.0
        print(f"{name:<12} {expected[name]:>8} {predicted[name]:>6} {precision:>10.1%} "
              f"{recall:>7.1%}")

    rest = [r for r in results if not r.silent]
    clear = [r for r in results if r.clear]
    print(f"\nmessages: {len(results)}")
    print(f"false done: {sum(bool(r.false_done) for r in results)} (gate 0)")
    print("writes from questions or intentions: "
          f"{sum(1 for r in results if r.silent and writes(r.got))} (gate 0)")
    print(f"exact on the rest: {sum(r.exact for r in rest) / len(rest):.1%} (gate ≥ 97%)")
    print(f"asked on clear messages: {sum(r.asked for r in clear) / len(clear):.1%} "
          "(gate ≤ 3%)")
    if "-v" in argv:
        for r in results:
            if not r.exact:
                print(f"line {r.row.line}: {r.row.message!r} → {list(r.got)} "
                      f"(expected {list(r.row.expected)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
