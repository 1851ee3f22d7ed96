"""Reading the roster (units and their contacts) from CSV or Excel, checked whole."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage.files.errors import ImportFileError
from storage.files.tables import clean, csv_table, xlsx_sheets
from storage.models import Role, UnitKind
from storage.textnorm import fold, slug

DEFAULT_UNITS = Path(__file__).parent.parent / "data" / "units-haian.csv"

HEADERS = {
    "unit_code": ("unit_code", "ma don vi", "ma truong", "ma"),
    "unit_name": ("unit_name", "ten don vi", "ten truong", "don vi", "truong"),
    "unit_kind": ("unit_kind", "loai", "cap hoc", "loai don vi"),
    "ward": ("ward", "phuong", "xa", "phuong/xa", "dia ban"),
    "contact_name": ("contact_name", "ho ten", "ho va ten", "nguoi lien he", "hieu truong"),
    "role": ("role", "vai tro", "chuc vu"),
    "phone": ("phone", "dien thoai", "so dien thoai", "sdt"),
    "telegram": ("telegram", "telegram_id"),
    "zalo": ("zalo", "zalo_id"),
    "groups": ("groups", "nhom", "nhom don vi", "thuoc nhom"),
    "aliases": ("aliases", "ten goi khac", "ten khac", "cach goi khac"),
}
TITLES = {
    "unit_code": "Mã đơn vị", "unit_name": "Tên đơn vị", "unit_kind": "Loại",
    "ward": "Phường", "contact_name": "Họ tên", "role": "Vai trò", "phone": "Điện thoại",
    "telegram": "Telegram", "zalo": "Zalo", "groups": "Nhóm", "aliases": "Tên gọi khác",
}
KINDS = {
    "office": UnitKind.OFFICE, "phong": UnitKind.OFFICE, "phong gd&dt": UnitKind.OFFICE,
    "pgd": UnitKind.OFFICE, "mn": UnitKind.MN, "mam non": UnitKind.MN, "th": UnitKind.TH,
    "tieu hoc": UnitKind.TH, "thcs": UnitKind.THCS, "trung hoc co so": UnitKind.THCS,
    "pt": UnitKind.PT, "lien cap": UnitKind.PT, "nhieu cap hoc": UnitKind.PT,
    "th&thcs": UnitKind.PT, "thpt": UnitKind.THPT, "trung hoc pho thong": UnitKind.THPT,
    "to chuyen mon": UnitKind.OFFICE, "bo phan": UnitKind.OFFICE, "phong ban": UnitKind.OFFICE,
    "co quan": UnitKind.OFFICE,
}
ROLES = {
    "principal": Role.PRINCIPAL, "hieu truong": Role.PRINCIPAL, "ht": Role.PRINCIPAL,
    "staff": Role.STAFF, "chuyen vien": Role.STAFF, "can bo": Role.STAFF,
    "admin": Role.ADMIN, "quan tri": Role.ADMIN, "quan tri vien": Role.ADMIN,
}


@dataclass
class ContactSpec:
    name: str
    role: Role
    phone: str
    telegram: str = ""
    zalo: str = ""


@dataclass
class UnitSpec:
    code: str
    name: str
    kind: UnitKind
    ward: str
    contacts: list[ContactSpec] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # free labels: "Tổ chuyên môn", "THPT"…
    aliases: list[str] = field(default_factory=list)  # other names plans use for the unit


def _labels(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;,\n]", text) if p.strip()]


def _columns(file: Path, header: list[str]) -> dict[int, str]:
    found: dict[int, str] = {}
    for i, cell in enumerate(header):
        words = fold(clean(cell))
        for name, aliases in HEADERS.items():
            if words in aliases and name not in found.values():
                found[i] = name
    if not {"unit_name", "unit_kind"} <= set(found.values()) and \
            "unit_code" not in found.values():
        raise ImportFileError(file, "dòng tiêu đề cần có cột “unit_code” hoặc “unit_name” và "
                                    "“unit_kind” (Mã đơn vị, Tên đơn vị, Loại)", 1)
    return found


def _phone(value: str) -> str:
    digits = re.sub(r"[\s.\-()]", "", value)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    return digits


def parse_units(file: Path, table: list[list[Any]]) -> list[UnitSpec]:
    if not table:
        raise ImportFileError(file, "tệp trống")
    columns = _columns(file, [clean(c) for c in table[0]])
    units: dict[str, UnitSpec] = {}
    phones: dict[str, int] = {}
    for number, raw in enumerate(table[1:], start=2):
        cells = [clean(c) for c in raw]
        row = {name: cells[i] if i < len(cells) else "" for i, name in columns.items()}
        if not any(row.values()):
            continue

        def fail(message: str, column: str, number: int = number) -> ImportFileError:
            return ImportFileError(file, message, number, TITLES[column])

        kind = KINDS.get(fold(row.get("unit_kind", "")))
        code = row.get("unit_code", "").upper()
        if code in units:
            unit = units[code]
        else:
            if kind is None:
                raise fail(f"loại đơn vị “{row.get('unit_kind', '')}” không hợp lệ "
                           "(MN, TH, THCS, THPT, PT hoặc office)", "unit_kind")
            if not row.get("unit_name"):
                raise fail("thiếu tên đơn vị", "unit_name")
            code = code or f"{kind.value.upper()}-{slug(row.get('ward') or row['unit_name'])}"
            if not re.fullmatch(r"[A-Z0-9][A-Z0-9_-]{0,39}", code):
                raise fail(f"mã đơn vị “{code}” chỉ được gồm chữ không dấu, số, - và _",
                           "unit_code")
            unit = units[code] = UnitSpec(code, row["unit_name"], kind, row.get("ward", ""))
        unit.groups += [g for g in _labels(row.get("groups", "")) if g not in unit.groups]
        unit.aliases += [a for a in _labels(row.get("aliases", "")) if a not in unit.aliases]
        if row.get("unit_name") and row["unit_name"] != unit.name:
            raise fail(f"mã {code} đã dùng cho “{unit.name}”", "unit_code")
        if not row.get("contact_name"):
            continue
        role = ROLES.get(fold(row.get("role", "")) or "principal")
        if role is None:
            raise fail(f"vai trò “{row['role']}” không hợp lệ (principal, staff, admin)",
                       "role")
        phone = _phone(row.get("phone", ""))
        if phone and not re.fullmatch(r"0\d{9,10}", phone):
            raise fail(f"số điện thoại “{row['phone']}” không hợp lệ", "phone")
        if phone and phone in phones:
            raise fail(f"số điện thoại {phone} trùng với dòng {phones[phone]}", "phone")
        if phone:
            phones[phone] = number
        unit.contacts.append(ContactSpec(row["contact_name"], role, phone,
                                         row.get("telegram", ""), row.get("zalo", "")))
    if not units:
        raise ImportFileError(file, "không có đơn vị nào trong tệp")
    return list(units.values())


def read_units(path: str | Path) -> list[UnitSpec]:
    file = Path(path)
    if not file.is_file():
        raise ImportFileError(file, "không tìm thấy tệp")
    suffix = file.suffix.lower()
    if suffix == ".csv":
        return parse_units(file, csv_table(file))
    if suffix == ".xlsx":
        return parse_units(file, next(xlsx_sheets(file), []))
    raise ImportFileError(file, "định dạng không hỗ trợ; dùng .csv hoặc .xlsx")
