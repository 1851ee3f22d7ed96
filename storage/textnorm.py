"""Vietnamese text folding shared by every reader: NFC, and an accent-free form to match on."""

from __future__ import annotations

import unicodedata

_FOLD = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d): 'Quý I năm 2024' → 'quy i nam 2024'."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).lower()


def slug(text: str) -> str:
    """'Đằng Lâm' → 'DANGLAM': the stem of a unit code."""
    return "".join(c for c in fold(text) if c.isalnum()).upper()
