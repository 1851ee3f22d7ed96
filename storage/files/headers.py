"""Which column of a plan table is which, found by meaning.

Offices title the same columns many ways ("STT", "TT"; "Nội dung công việc", "Tên nhiệm
vụ", "Hoạt động"; "Đơn vị thực hiện", "Cơ quan chủ trì"; "Thời gian hoàn thành", "Tiến
độ"…), with line breaks, in capitals, with or without diacritics. A header row is one where
at least three cells name a role; the roles content, lead and deadline must be there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storage.textnorm import fold

# Role → header words (folded, spaces collapsed); a cell names a role when it starts with
# one of them. Longer words are tried first, so "đơn vị phối hợp" is never "đơn vị".
SYNONYMS: dict[str, tuple[str, ...]] = {
    "code": ("stt", "tt", "so tt", "so thu tu", "thu tu", "ma nhiem vu", "ma so"),
    "content": ("noi dung", "ten nhiem vu", "nhiem vu", "hoat dong", "cong viec",
                "cac hoat dong", "ten hoat dong", "ten cong viec", "chuong trinh",
                "de an", "nhiem vu, giai phap", "giai phap"),
    "lead": ("don vi chu tri", "co quan chu tri", "chu tri", "don vi thuc hien",
             "co quan thuc hien", "bo phan thuc hien", "nguoi thuc hien", "thuc hien",
             "don vi", "co quan", "trach nhiem", "nguoi phu trach", "phu trach",
             "phan cong", "bo phan", "nguoi chiu trach nhiem", "chiu trach nhiem"),
    "partners": ("don vi phoi hop", "co quan phoi hop", "phoi hop", "bo phan phoi hop",
                 "nguoi phoi hop"),
    "product": ("san pham", "ket qua", "hinh thuc", "ket qua dau ra"),
    "deadline": ("thoi gian", "thoi han", "tien do", "han", "moc thoi gian", "lo trinh"),
    "notes": ("ghi chu", "luu y"),
}
ROLE_TITLES = {
    "code": "STT",
    "content": "Nội dung",
    "lead": "Đơn vị chủ trì/thực hiện",
    "partners": "Đơn vị phối hợp",
    "product": "Sản phẩm",
    "deadline": "Thời gian hoàn thành",
    "notes": "Ghi chú",
}
REQUIRED = ("content", "lead", "deadline")
_ORDERED = sorted(((w, role) for role, words in SYNONYMS.items() for w in words),
                  key=lambda p: -len(p[0]))


@dataclass
class Header:
    columns: dict[int, str]  # column index → role
    titles: dict[str, str]  # role → the header as written
    seen: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [r for r in REQUIRED if r not in self.titles]


def role_of(cell: str) -> str | None:
    words = re.sub(r"[^a-z0-9, ]+", " ", fold(cell))
    words = re.sub(r"\s+", " ", words).strip(" ,")
    if not words or len(words) > 60:
        return None
    for word, role in _ORDERED:
        if words == word or words.startswith(word + " ") or words.startswith(word + ","):
            return role
    return None


def header_of(cells: list[str]) -> Header | None:
    """The roles of a row's cells, if it reads as a header row."""
    columns: dict[int, str] = {}
    titles: dict[str, str] = {}
    for i, cell in enumerate(cells):
        role = role_of(cell)
        if role and role not in titles:
            columns[i], titles[role] = role, cell
    if len(titles) < 3 or "content" not in titles and len(titles) < 4:
        return None
    return Header(columns, titles, list(cells))


def find_header(grid: list[list[str]], within: int = 30) -> tuple[int, Header] | None:
    """The first header row among the top rows of a table."""
    for i, row in enumerate(grid[:within]):
        header = header_of(row)
        if header is not None:
            return i, header
    return None
