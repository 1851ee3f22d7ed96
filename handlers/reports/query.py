"""What `/baocao …` asks for: filters (task, area, school, kind, period, overdue, not
answered) and a file format, read forgivingly (with or without diacritics)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from storage.models import ReportPeriod, Unit, UnitKind
from storage.textnorm import fold

KINDS = {"mn": UnitKind.MN, "th": UnitKind.TH, "thcs": UnitKind.THCS, "pt": UnitKind.PT,
         "phong": UnitKind.OFFICE, "pgd": UnitKind.OFFICE}
FORMATS = {"xlsx", "excel", "docx", "word", "png", "bieudo", "json", "text"}
PERIOD_WORDS = [
    (r"\bquy (i|1)\b", "Q1"), (r"\b(6 thang|sau thang|quy (ii|2))\b", "H1"),
    (r"\bquy (iii|3)\b", "Q3"), (r"\b(quy (iv|4)|ca nam|nam)\b", "Y"),
]


@dataclass
class Query:
    task: str | None = None
    area: int | None = None
    units: list[Unit] = field(default_factory=list)
    kind: UnitKind | None = None
    period: ReportPeriod | None = None
    overdue_only: bool = False
    unanswered_only: bool = False
    format: str = "text"
    ambiguous: list[Unit] = field(default_factory=list)
    unknown: str = ""

    @property
    def filtered(self) -> bool:
        return bool(self.task or self.area or self.units or self.kind or self.overdue_only
                    or self.unanswered_only)


def _school(words: str, units: list[Unit], kind: UnitKind | None) -> list[Unit]:
    """Units whose folded name contains *words* (typos forgiven), of *kind* if given."""
    pool = [u for u in units if kind is None or u.kind == kind]
    hits = [u for u in pool if re.search(rf"\b{re.escape(words)}\b", fold(u.name))]
    if hits:
        exact = [u for u in hits if fold(u.name).endswith(" " + words)]
        return exact if len(exact) == 1 else hits
    stems = {u.code: fold(u.name).split(" ", 2)[-1] for u in pool}
    close = difflib.get_close_matches(words, list(stems.values()), n=5, cutoff=0.75)
    return [u for u in pool if stems[u.code] in close]


def parse_query(args: str, units: list[Unit], periods: list[ReportPeriod]) -> Query:
    q = Query()
    words = fold(args).strip()
    by_code = {u.code.lower(): u for u in units}
    rest: list[str] = []
    tokens = words.split()
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in FORMATS:
            q.format = {"excel": "xlsx", "word": "docx", "bieudo": "png"}.get(tok, tok)
        elif re.fullmatch(r"\d{1,2}\.\d{1,2}", tok):
            q.task = tok
        elif tok == "muc" and i + 1 < len(tokens) and tokens[i + 1].isdigit():
            q.area = int(tokens[i + 1])
            i += 1
        elif tok in ("quahan", "tre", "trehan") or (tok == "qua" and tokens[i + 1:i + 2] ==
                                                    ["han"]):
            q.overdue_only = True
            i += 1 if tok == "qua" else 0
        elif tok in ("chuatraloi", "imlang") or (tok == "chua" and tokens[i + 1:i + 3] ==
                                                 ["tra", "loi"]):
            q.unanswered_only = True
            i += 2 if tok == "chua" else 0
        elif tok in by_code:
            q.units.append(by_code[tok])
        else:
            rest.append(tok)
        i += 1
    text = " ".join(rest)
    for pattern, code in PERIOD_WORDS:
        if re.search(pattern, text):
            q.period = next((p for p in periods if p.code == code), None)
            text = re.sub(pattern, " ", text).strip()
            break
    text = re.sub(r"\s+", " ", text).strip()
    first, _, name = text.partition(" ")
    if first in KINDS:
        q.kind, text = KINDS[first], name.strip()
    text = re.sub(r"^truong\s+", "", text)
    if text:
        found = _school(text, units, q.kind)
        if len(found) == 1:
            q.units.append(found[0])
            q.kind = None
        elif found:
            q.ambiguous = found
        else:
            q.unknown = text
    return q
