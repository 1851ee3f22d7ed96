"""Which units a plan's unit phrase names, as the office defines them.

The roster gives every unit its groups (free labels such as "THPT", "Tổ chuyên môn",
"Phòng chuyên môn"; a school's level is a group of its own: MN, TH, THCS, THPT, PT — a
multi-level PT school also counts as TH and THCS) and aliases (phrase → units or groups,
from the roster and from every `--map` file used before). A cell is split at commas,
semicolons and line breaks; each phrase then means, in this order:

1. a kept alias or mapping (matched on its folded words);
2. the issuing office itself (its full or short name: "Phòng GD&ĐT", "Sở GD&ĐT");
3. groups, when every word left after "các", "trường", "đơn vị" is a group label
   ("các trường MN, TH, THCS"); a proper name left over ("Trường THPT Lê Hồng Phong")
   is never read as a group, and a syllable inside a name ("Bộ Quốc phòng") never as
   the office;
4. one named unit, by a forgiving full-name match (case, diacritics, punctuation,
   abbreviations such as THPT or GD&ĐT, word order; numbers must agree), when exactly one
   unit matches.

Anything else is unresolved: reported with its row and the nearest names, never guessed.
Targets are unit codes, and group labels written "@label" ("@office" is the issuer).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from storage.issuer import IssuerProfile, short_name
from storage.models import UnitKind
from storage.textnorm import fold

OFFICE = "@office"
KIND_GROUPS: dict[UnitKind, tuple[str, ...]] = {
    UnitKind.MN: ("MN",), UnitKind.TH: ("TH",), UnitKind.THCS: ("THCS",),
    UnitKind.THPT: ("THPT",), UnitKind.PT: ("PT", "TH", "THCS"), UnitKind.OFFICE: (),
}
EXPAND = {
    "gd&dt": "giao duc va dao tao", "gddt": "giao duc va dao tao", "gd dt": "giao duc va dao tao",
    "pgd&dt": "phong giao duc va dao tao", "pgddt": "phong giao duc va dao tao",
    "pgd": "phong giao duc va dao tao", "sgd&dt": "so giao duc va dao tao",
    "sgddt": "so giao duc va dao tao", "th&thcs": "tieu hoc va trung hoc co so",
    "thcs&thpt": "trung hoc co so va trung hoc pho thong",
    "mn": "mam non", "th": "tieu hoc", "thcs": "trung hoc co so", "thpt": "trung hoc pho thong",
    "ptdtbt": "pho thong dan toc ban tru", "ptdtnt": "pho thong dan toc noi tru",
    "pt": "pho thong", "ubnd": "uy ban nhan dan", "gdtx": "giao duc thuong xuyen",
    "cntt": "cong nghe thong tin", "qlcl": "quan ly chat luong",
}
FILLERS = ("tat ca cac", "toan bo cac", "toan bo", "tat ca", "cac", "nhung", "truong",
           "don vi", "co so giao duc", "cap hoc", "cap", "va")
SPLIT = re.compile(r"[,;\n]+")
NAME_SCORE = 90


def norm(text: str) -> str:
    """Folded words with abbreviations spelled out: 'Trường THPT Lê Hồng Phong' →
    'truong trung hoc pho thong le hong phong'."""
    words = fold(text).replace("&", "& ").replace(" & ", "& ")
    words = re.sub(r"([a-z]+)&\s*([a-z]+)", r"\1&\2", words)
    words = re.sub(r"[^a-z0-9&]+", " ", words)
    return " ".join(EXPAND.get(w, w) for w in words.split())


def _name_key(text: str) -> str:
    return re.sub(r"^truong ", "", norm(text))


@dataclass(frozen=True)
class RosterUnit:
    id: int
    code: str
    name: str
    kind: UnitKind
    groups: tuple[str, ...] = ()

    def labels(self) -> tuple[str, ...]:
        implicit = KIND_GROUPS.get(self.kind, ())
        if self.kind == UnitKind.OFFICE and not self.groups:
            implicit = (OFFICE[1:],)
        return (*implicit, *self.groups)


@dataclass
class Unresolved:
    row: int
    where: str
    phrase: str
    nearest: list[str] = field(default_factory=list)


class Roster:
    """The units, groups and aliases a phrase can name; built once per import."""

    def __init__(self, units: Iterable[RosterUnit], aliases: dict[str, list[str]],
                 issuer: IssuerProfile) -> None:
        self.units = list(units)
        self.by_code = {u.code: u for u in self.units}
        self.aliases = {norm(k): v for k, v in aliases.items()}
        self.alias_text = dict(aliases)
        labels = {"MN", "TH", "THCS", "THPT", "PT"}
        for u in self.units:
            labels.update(u.groups)
        self.labels = {norm(label): label for label in labels}
        self.office_names = {norm(n) for n in (issuer.full_name, issuer.short_name,
                                               short_name(issuer.full_name)) if n}
        self.names = [_name_key(u.name) for u in self.units]
        self.members: dict[str, list[int]] | None = None

    # --- resolving phrases -------------------------------------------------------------

    def resolve_cell(self, text: str) -> tuple[list[str], list[str]]:
        """The targets a cell names, and the phrases it could not read."""
        targets: list[str] = []
        unresolved: list[str] = []
        for raw in SPLIT.split(text):
            phrase = re.sub(r"\([^)]*\)", " ", raw).strip(" -+•.:")
            if not phrase:
                continue
            found = self.resolve(phrase)
            if found is None and " và " in phrase:
                parts = [self.resolve(p.strip()) for p in phrase.split(" và ")]
                found = None if any(p is None for p in parts) else \
                    [t for p in parts if p for t in p]
            if found is None:
                unresolved.append(phrase)
            else:
                targets += [t for t in found if t not in targets]
        return targets, unresolved

    def resolve(self, phrase: str) -> list[str] | None:
        key = norm(phrase)
        if key in self.aliases:
            return list(self.aliases[key])
        if key in self.office_names:
            return [OFFICE]
        groups = self._groups(key)
        if groups:
            return groups
        unit = self._named(phrase)
        return [unit.code] if unit else None

    def _groups(self, key: str) -> list[str] | None:
        words = key
        found: list[str] = []
        labels = sorted(self.labels, key=len, reverse=True)
        while words:
            for filler in FILLERS:
                if words == filler or words.startswith(filler + " "):
                    words = words[len(filler):].strip()
                    break
            else:
                label = next((lb for lb in labels if words == lb or
                              words.startswith(lb + " ")), None)
                if label is None:
                    return None
                found.append("@" + self.labels[label])
                words = words[len(label):].strip()
        return found or None

    def _named(self, phrase: str) -> RosterUnit | None:
        key = _name_key(phrase)
        digits = re.findall(r"\d+", key)
        hits = [(self.units[i], score) for _, score, i in process.extract(
            key, self.names, scorer=fuzz.token_sort_ratio, limit=5, score_cutoff=NAME_SCORE)
            if re.findall(r"\d+", self.names[i]) == digits]
        if len(hits) == 1 or len(hits) > 1 and hits[0][1] - hits[1][1] >= 5:
            return hits[0][0]
        return None

    def nearest(self, phrase: str) -> list[str]:
        choices = [u.name for u in self.units] + list(self.labels.values()) + \
            list(self.alias_text)
        return [c for c, _, _ in process.extract(phrase, choices, scorer=fuzz.WRatio,
                                                 processor=norm, limit=3, score_cutoff=60)]

    # --- targets → units ------------------------------------------------------------------

    def target(self, written: str) -> str | None:
        """A `--map` entry: a unit code or a group label, as a target."""
        if written.upper() in self.by_code:
            return written.upper()
        label = self.labels.get(norm(written))
        if label:
            return "@" + label
        if norm(written) in ("office", *self.office_names):
            return OFFICE
        return None

    def unit_ids(self, targets: Iterable[str]) -> set[int]:
        if self.members is None:
            self.members = {}
            for u in self.units:
                for label in u.labels():
                    self.members.setdefault(fold(label), []).append(u.id)
        ids: set[int] = set()
        for t in targets:
            if t.startswith("@"):
                ids.update(self.members.get(fold(t[1:]), ()))
            elif t in self.by_code:
                ids.add(self.by_code[t].id)
        return ids
