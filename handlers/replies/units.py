"""Which school a staff message is about: "TH-CATBI xong 1.1", "TH Cát Bi: xong 1.1",
"Tiểu học Cát Bi xong 1.1". A prefix that names no unit is refused with the nearest
matches; it never falls back to the sender's own unit. Pure functions, no database."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from rapidfuzz import fuzz, process

from storage.textnorm import fold, slug

CODE_PREFIX = re.compile(r"^\s*([A-Za-z]{2,5}-[A-Za-z0-9_]+|PGD)(?![\w.])[\s:,-]*", re.ASCII)
CAPS_PREFIX = re.compile(r"^\s*((?:MN|THCS|TH|PT)[A-Z0-9]{3,})(?![\w.])[\s:,-]*")
KIND_WORDS = (  # longest first
    ("truong trung hoc co so", "THCS"), ("trung hoc co so", "THCS"), ("truong mam non", "MN"),
    ("truong tieu hoc", "TH"), ("truong lien cap", "PT"), ("truong thcs", "THCS"),
    ("truong th&thcs", "PT"), ("truong mn", "MN"), ("truong th", "TH"),
    ("truong pt", "PT"), ("mam non", "MN"), ("tieu hoc", "TH"), ("lien cap", "PT"),
    ("th&thcs", "PT"), ("thcs", "THCS"), ("thpt", "THPT"), ("mn", "MN"), ("th", "TH"),
    ("pt", "PT"),
)
NAME_STOP = re.compile(r"\s*(?:[:,;]|\d{1,2}\.\d{1,2}|\b(?:xong|xog|da|đã|dang|đang|chua|"
                       r"chưa|hoan|hoàn|gap|gặp|duoc|được|sap|sắp|se|sẽ|ok|nop|nộp|bi|bị|"
                       r"khong|không|ko|nhiem|nhiệm|nv|tien|tiến)\b)", re.IGNORECASE)
NAME_END = re.compile(r"[:;,]|\d{1,2}\.\d{1,2}")
MAX_NAME_WORDS = 5
NAME_STEMS = ("TRUONGMAMNON", "TRUONGTIEUHOC", "TRUONGTHTHCS", "TRUONGTHCS", "TRUONGLIENCAP",
              "TRUONGPT")


class UnitLike(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...


@dataclass
class Prefix:
    typed: str  # the prefix as written
    body: str  # the rest of the message
    unit_code: str | None  # the unit it names, or None
    nearest: list[str] = field(default_factory=list)  # codes to suggest when None


def _key(name: str) -> str:
    """'Trường Tiểu học Cát Bi' → 'CATBI' (the name without its kind)."""
    compact = slug(name)
    for stem in NAME_STEMS:
        if compact.startswith(stem):
            return compact[len(stem):]
    return compact


def _kind_of(code: str) -> str:
    return code.split("-", 1)[0].upper()


KIND_START = re.compile(r"^\s*(?:truong\s+)?(?:mam non|tieu hoc|trung hoc co so|lien cap|mn|th|"
                        r"thcs|thpt|pt|th&thcs)\s", re.IGNORECASE)


def looks_prefixed(text: str) -> bool:
    """A cheap test before the units are read: does the message start like a unit?"""
    return bool(CODE_PREFIX.match(text) or CAPS_PREFIX.match(text) or
                KIND_START.match(fold(text[:40])))


def split_prefix(text: str, units: Sequence[UnitLike]) -> Prefix | None:
    """The unit a message starts with, if it starts with one (a code or a kind and name)."""
    found = CODE_PREFIX.match(text) or CAPS_PREFIX.match(text)
    if found:
        typed = found.group(1)
        wanted = slug(typed)
        for unit in units:
            if slug(unit.code) == wanted:
                return Prefix(typed, text[found.end():], unit.code)
        return Prefix(typed, text[found.end():], None, _nearest(typed, units))
    folded = fold(text).lstrip()
    offset = len(text) - len(text.lstrip())
    for words, kind in KIND_WORDS:
        if not folded.startswith(words + " "):
            continue
        rest_at = offset + len(words) + 1
        stop = NAME_END.search(text, rest_at)
        region = text[rest_at:stop.start() if stop else len(text)]
        spans = [m for m in re.finditer(r"\S+", region)][:MAX_NAME_WORDS]
        pool = [u for u in units if _kind_of(u.code) == kind]
        for n in range(len(spans), 0, -1):  # the longest run of words that names a unit
            name = region[:spans[n - 1].end()]
            matches = [u.code for u in pool if _key(u.name) == slug(name)]
            after = spans[n].group(0) if n < len(spans) else ""
            if len(matches) == 1 and (not after or NAME_STOP.match(after)):
                body = re.sub(r"^[\s:,-]+", "", text[rest_at + spans[n - 1].end():])
                return Prefix(text[offset:rest_at + spans[n - 1].end()].strip(), body,
                              matches[0])
        name_stop = NAME_STOP.search(region)
        name = region[:name_stop.start() if name_stop else len(region)].strip()
        if not name or not re.search(r"[^\W\d_]", name):
            return None
        typed = f"{text[offset:rest_at].strip()} {name}"
        body = re.sub(r"^[\s:,-]+", "", region[len(name):] + text[rest_at + len(region):])
        near = [u.code for u in pool if _key(u.name).startswith(slug(name))]
        return Prefix(typed, body, None, near[:5] or _nearest(typed, pool or units))
    return None


def _nearest(typed: str, units: Sequence[UnitLike]) -> list[str]:
    choices = {u.code: f"{u.code} {fold(u.name)}" for u in units}
    found = process.extract(fold(typed), choices, scorer=fuzz.WRatio, limit=3, score_cutoff=50)
    return [code for _, _, code in found]
