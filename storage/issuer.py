"""The office that issues a plan: its profile, read from the plan's header block.

A plan may come from a ministry, a Sở GD&ĐT, a ward's culture–society office, a school or
(like the 2024 sample) a former Phòng GD&ĐT. Every text that names the office takes its
words from the profile stored with the plan: full name, short name, superior body, place
name for the date line, the head's title and name. The YAML plan file (`plan:` block) or
`import-plan --issuer` edit them; a Word or Excel plan gives them in its header block:

    UBND QUẬN HẢI AN                   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    PHÒNG GIÁO DỤC VÀ ĐÀO TẠO          Độc lập - Tự do - Hạnh phúc
    Số: 06/KH-PGDĐT                    Hải An, ngày 07 tháng 02 năm 2024
    …                                  TRƯỞNG PHÒNG / Nguyễn Thị Minh Thu
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from storage.textnorm import fold

ORG_START = re.compile(r"^(uy ban nhan dan|ubnd|bo|so|phong|truong|ban|cuc|vu|trung tam|"
                       r"hoi dong|van phong)\b")
PLACE_WORDS = ("tỉnh", "thành phố", "quận", "huyện", "thị xã", "phường", "xã", "thị trấn")
ABBREVIATIONS = ("UBND", "GD&ĐT", "THPT", "THCS", "TH&THCS", "PTDTBT", "PTDTNT", "MN", "TH",
                 "PT", "HĐND", "CNTT", "KT", "TM")
HEAD_TITLES = re.compile(r"^(kt\.?\s*|tm\.?\s*|q\.?\s*)?(bo truong|thu truong|giam doc|"
                         r"pho giam doc|truong phong|pho truong phong|hieu truong|"
                         r"pho hieu truong|chu tich|pho chu tich|truong ban|cuc truong|"
                         r"vu truong|chanh van phong)\b")
MINISTRY_WORDS = {"giáo dục và đào tạo": "Giáo dục và Đào tạo",
                  "văn hóa - xã hội": "Văn hóa - Xã hội", "văn hoá - xã hội": "Văn hóa - Xã hội",
                  "văn hóa, khoa học và thông tin": "Văn hóa, Khoa học và Thông tin"}


@dataclass
class IssuerProfile:
    full_name: str
    short_name: str
    superior: str = ""
    place: str = ""
    head_title: str = ""
    head_name: str = ""

    @property
    def contact(self) -> str:
        """How a message tells people whom to contact: "chuyên viên Phòng GD&ĐT"."""
        return self.short_name


@dataclass
class HeaderInfo:
    """What the header block and signature of a Word or Excel plan say."""

    issuer: str = ""
    superior: str = ""
    number: str = ""
    title: str = ""
    issued_on: date | None = None
    place: str = ""
    signer_title: str = ""
    signer_name: str = ""
    texts: list[str] = field(default_factory=list)


def office_case(text: str) -> str:
    """'PHÒNG GIÁO DỤC VÀ ĐÀO TẠO' → 'Phòng Giáo dục và Đào tạo'; 'UBND QUẬN HẢI AN' →
    'UBND quận Hải An'; 'TRƯỜNG TIỂU HỌC KIM ĐỒNG' → 'Trường Tiểu học Kim Đồng'.
    Text that is not all capitals is kept as written."""
    text = text.strip()
    if not text or text != text.upper():
        return text
    words = text.lower().split()
    out: list[str] = []
    name = False  # after a place word or a school level: a proper name, capitalised
    i = 0
    while i < len(words):
        word = words[i]
        upper = word.upper()
        pair = " ".join(words[i:i + 2])
        if upper in ABBREVIATIONS:
            out.append(upper)
            name = name or upper in {"THPT", "THCS", "TH&THCS", "PTDTBT", "PTDTNT", "MN",
                                     "TH", "PT"}
        elif pair in PLACE_WORDS:
            out += pair.split()
            i += 2
            name = True
            continue
        elif word in PLACE_WORDS:
            out.append(word)
            name = True
        elif pair in ("tiểu học", "mầm non") or pair == "trung học" and i + 2 < len(words):
            span = 3 if pair == "trung học" else 2
            level = words[i:i + span]
            out += [level[0].capitalize(), *level[1:]]
            i += span
            name = True
            continue
        elif name or not out:
            out.append(word.capitalize())
        else:
            out.append(word)
        i += 1
    result = " ".join(out)
    for low, proper in MINISTRY_WORDS.items():
        result = re.sub(re.escape(low), proper, result, flags=re.IGNORECASE)
    return result[:1].upper() + result[1:]


def short_name(full: str) -> str:
    """'Phòng Giáo dục và Đào tạo quận Hải An' → 'Phòng GD&ĐT'; 'Sở Giáo dục và Đào tạo
    tỉnh Lào Cai' → 'Sở GD&ĐT'; 'Phòng Văn hóa - Xã hội phường Sa Pa' → 'Phòng Văn hóa - Xã
    hội'; a school keeps its name."""
    text = re.sub(r"(?i)giáo dục và đào tạo", "GD&ĐT", full.strip())
    if fold(text).startswith("truong"):
        return text
    for word in PLACE_WORDS:
        for found in re.finditer(rf"\s+{word}\s+(\S)", text):
            if found.group(1).isupper():  # "quận Hải An", never "Văn hóa - Xã hội"
                return text[:found.start()]
    return text


def profile(issuer: str, short: str = "", superior: str = "", place: str = "",
            head_title: str = "", head_name: str = "") -> IssuerProfile:
    full = issuer.strip() or "Phòng Giáo dục và Đào tạo"
    return IssuerProfile(full, short.strip() or short_name(full), superior, place,
                         head_title, head_name)


def profile_of(plan: Any) -> IssuerProfile:
    """The profile stored with a plan (a `storage.models.Plan` or a `PlanSpec`)."""
    return profile(plan.issuer, getattr(plan, "issuer_short", ""), plan.superior, plan.place,
                   plan.signer_title, plan.signer_name)


def read_header(before: list[str], after: list[str]) -> HeaderInfo:
    """The issuer, superior, number, date, place, title and signer from the lines above the
    plan's table (*before*) and below it (*after*)."""
    head = HeaderInfo(texts=before[:40])
    orgs: list[str] = []
    for i, text in enumerate(before):
        folded = fold(text)
        number = re.search(r"\bso:?\s*([0-9]+\s*/\s*[^\s,;)]+)", folded)
        if number and not head.number:
            start = number.start(1)
            head.number = re.sub(r"\s+", "", text[start:start + len(number.group(1))])
        when = re.search(r"ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})", folded)
        if when and head.issued_on is None:
            d, m, y = (int(g) for g in when.groups())
            head.issued_on = date(y, m, d) if _valid(y, m, d) else None
            place = text.split(",")[0].strip()
            if place and "ngay" not in fold(place):
                head.place = place
        if folded in ("ke hoach", "phu luc") and i + 1 < len(before) and not head.title:
            follower = before[i + 1]
            if folded == "ke hoach" or fold(follower).startswith(("nhiem vu", "ke hoach")):
                head.title = _title(follower)
        elif folded.startswith("ke hoach ") and not head.title and len(text) > 15 \
                and text == text.upper():
            head.title = _title(text[len("KẾ HOẠCH "):])
        if (not head.number and not head.issued_on and ORG_START.match(folded)
                and text == text.upper() and "cong hoa" not in folded and len(text) < 90):
            orgs.append(office_case(text))
    if orgs:
        head.issuer = orgs[-1]
        head.superior = orgs[-2] if len(orgs) > 1 else ""
    for i, text in enumerate(after):
        if HEAD_TITLES.match(fold(text)) and text == text.upper():
            title = re.sub(r"^(KT|TM|Q)\.?\s*\S+\s*", "", text) if "." in text[:4] else text
            head.signer_title = title[:1] + title[1:].lower()
            names = [t for t in after[i + 1:i + 4] if not t.startswith("(")]
            if names:
                head.signer_name = names[0]
    return head


def _title(text: str) -> str:
    """'Cải cách hành chính năm 2025' → 'Kế hoạch Cải cách hành chính năm 2025'."""
    if text == text.upper():
        text = text[:1] + text[1:].lower()
        text = re.sub(r"\bthpt\b", "THPT", text)
    return f"Kế hoạch {text}" if not fold(text).startswith("ke hoach") else text


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True
