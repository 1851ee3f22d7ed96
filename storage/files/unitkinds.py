"""The names of the school levels a unit can have (which units a plan's phrases name is
decided in `storage.unitphrases`, against the office's own roster and groups)."""

from __future__ import annotations

from storage.models import UnitKind

SCHOOL_KINDS = (UnitKind.MN, UnitKind.TH, UnitKind.THCS, UnitKind.PT, UnitKind.THPT)

KIND_NAMES: dict[UnitKind, str] = {
    UnitKind.OFFICE: "Cơ quan",
    UnitKind.MN: "Mầm non",
    UnitKind.TH: "Tiểu học",
    UnitKind.THCS: "THCS",
    UnitKind.PT: "Phổ thông nhiều cấp học",
    UnitKind.THPT: "THPT",
}
