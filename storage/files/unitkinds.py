"""Which kinds of unit a task's "Đơn vị thực hiện" column names."""

from __future__ import annotations

import re

from storage.models import UnitKind
from storage.textnorm import fold

SCHOOL_KINDS = (UnitKind.MN, UnitKind.TH, UnitKind.THCS, UnitKind.PT)

KIND_NAMES: dict[UnitKind, str] = {
    UnitKind.OFFICE: "Phòng GD&ĐT",
    UnitKind.MN: "Mầm non",
    UnitKind.TH: "Tiểu học",
    UnitKind.THCS: "THCS",
    UnitKind.PT: "Phổ thông nhiều cấp học",
}


class UnitsTextError(ValueError):
    """The column names no unit kind this product knows."""


def kinds_for(units_text: str) -> frozenset[UnitKind]:
    """'Phòng GD&ĐT, các trường MN, TH, THCS' → office, MN, TH, THCS and multi-level PT
    (a multi-level school carries the TH and THCS levels); 'Phòng GD&ĐT' → the office."""
    words = fold(units_text)
    words = re.sub(r"[^a-z0-9&]+", " ", words)
    tokens = set(words.split())
    kinds: set[UnitKind] = set()
    if "phong" in tokens or "pgd" in tokens or "pgddt" in tokens:
        kinds.add(UnitKind.OFFICE)
    if "mn" in tokens or "mam non" in words:
        kinds.add(UnitKind.MN)
    if "th" in tokens or "tieu hoc" in words:
        kinds.add(UnitKind.TH)
    if "thcs" in tokens or "trung hoc co so" in words:
        kinds.add(UnitKind.THCS)
    if "pt" in tokens or "nhieu cap" in words or kinds & {UnitKind.TH, UnitKind.THCS}:
        kinds.add(UnitKind.PT)
    if not kinds & set(SCHOOL_KINDS) and re.search(r"\b(cac|tat ca cac) truong\b", words):
        kinds.update(SCHOOL_KINDS)
    if not kinds:
        raise UnitsTextError(f"không nhận ra đơn vị thực hiện “{units_text.strip()}”")
    return frozenset(kinds)
