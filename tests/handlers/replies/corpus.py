"""The labelled reply corpus (corpus.txt) and how a message's outcome is written down, so
that the gate test and the per-category report read it the same way."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from handlers.replies.grammar import Kind, Meaning, Said, in_context, parse
from handlers.replies.units import UnitLike, split_prefix
from storage.files.roster import DEFAULT_UNITS, read_units

CORPUS = Path(__file__).with_name("corpus.txt")
WRITES = {s.value for s in Said}


@dataclass(frozen=True)
class Row:
    line: int
    category: str  # "done", "question~" (~: the diacritic-free copy) …
    staff: bool
    context: tuple[str, ...]
    message: str
    expected: tuple[str, ...]

    @property
    def family(self) -> str:
        return self.category.rstrip("~")


@dataclass(frozen=True)
class SimpleUnit:
    code: str
    name: str


@cache
def rows() -> tuple[Row, ...]:
    out = []
    for number, line in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        category, who, context, message, expected = (p.strip() for p in line.split(" | "))
        out.append(Row(number, category, who == "s",
                       tuple(context.split("+")) if context != "-" else (),
                       message.replace("\\n", "\n"), tuple(expected.split(" ; "))))
    return tuple(out)


@cache
def units() -> tuple[SimpleUnit, ...]:
    return tuple(SimpleUnit(u.code, u.name) for u in read_units(DEFAULT_UNITS))


def outcome(message: str, context: Sequence[str] = (), staff: bool = False,
            known_units: Sequence[UnitLike] | None = None) -> tuple[str, ...]:
    """What the bot makes of a message, in the corpus's notation."""
    items: list[str] = []
    if staff:
        prefix = split_prefix(message, known_units if known_units is not None else units())
        if prefix is not None:
            if prefix.unit_code is None:
                return ("refuse",)
            items.append(f"unit {prefix.unit_code}")
            message = prefix.body
    meaning = in_context(parse(message), list(context))
    return tuple(items + describe(meaning))


def describe(meaning: Meaning) -> list[str]:
    parsed = meaning.parsed
    items: list[str] = []
    for u in meaning.updates:
        text = f"{u.code} {u.said.value}"
        if u.said == Said.PROGRESS and u.percent is not None:
            text += f" {u.percent}"
        if u.said == Said.BLOCKED and u.reason:
            text += f": {u.reason}"
        items.append(text)
    items += [f"ask {c}" for c in meaning.doubts]
    items += [f"bad {c}" for c in meaning.out_of_range]
    if meaning.which and not items:
        items.append("which")
    if items:
        return items
    kind = parsed.kind
    if kind in (Kind.REPORT, Kind.REPORT_NOT):
        return [f"{kind.value} {parsed.report}"]
    if kind == Kind.SNOOZE:
        return [f"snooze {parsed.snooze_hours or 'tomorrow'}"]
    if kind == Kind.PAUSE and parsed.pause_until:
        d, m, y = parsed.pause_until
        return [f"pause {d}/{m}" + (f"/{y}" if y else "")]
    if kind == Kind.STATUS:
        return ["nothing"]
    return [kind.value]


def kind_of(items: Sequence[str]) -> str:
    """The class of an outcome, for precision and recall."""
    first = [i for i in items if not i.startswith("unit ")]
    if not first:
        return "nothing"
    head = first[0].split()[0]
    if head[0].isdigit():
        return "write"
    return head


def writes(items: Sequence[str]) -> dict[str, str]:
    out = {}
    for item in items:
        parts = item.split(":")[0].split()
        if len(parts) >= 2 and parts[0][0].isdigit() and parts[1] in WRITES:
            out[parts[0]] = parts[1]
    return out


GATED = ("question", "intention")  # rows whose messages must never write


@dataclass
class Result:
    row: Row
    got: tuple[str, ...]

    @property
    def exact(self) -> bool:
        return sorted(self.got) == sorted(self.row.expected)

    @property
    def false_done(self) -> list[str]:
        """Tasks recorded done that the message did not say were done."""
        said = writes(self.row.expected)
        return [c for c, s in writes(self.got).items() if s == "done" and said.get(c) != "done"]

    @property
    def silent(self) -> bool:
        """The message must write nothing (a question or an intention)."""
        return self.row.family in GATED or any(e in GATED for e in self.row.expected)

    @property
    def asked(self) -> bool:
        return any(i.startswith("ask") for i in self.got)

    @property
    def clear(self) -> bool:
        return not any(i.startswith("ask") for i in self.row.expected)


def run() -> list[Result]:
    return [Result(r, outcome(r.message, r.context, r.staff)) for r in rows()]
