"""The issuer's profile: read from a plan's header block, stored with the plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from storage.db import session_scope
from storage.files.plan import default_plan, read_plan
from storage.imports import save_plan
from storage.issuer import office_case, profile_of, short_name
from storage.plans import active_plan

CORPUS = Path(__file__).parent / "files" / "corpus"


@pytest.mark.parametrize(("written", "proper"), [
    ("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "Phòng Giáo dục và Đào tạo"),
    ("UBND QUẬN HẢI AN", "UBND quận Hải An"),
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Sở Giáo dục và Đào tạo"),
    ("TRƯỜNG TIỂU HỌC KIM ĐỒNG", "Trường Tiểu học Kim Đồng"),
    ("TRƯỜNG PTDTBT TH&THCS BẢN MÁY", "Trường PTDTBT TH&THCS Bản Máy"),
    ("PHÒNG VĂN HÓA - XÃ HỘI", "Phòng Văn hóa - Xã hội"),
    ("Phòng Giáo dục và Đào tạo quận Hải An", "Phòng Giáo dục và Đào tạo quận Hải An"),
])
def test_header_capitals_read_as_the_office_writes_its_name(written: str, proper: str) -> None:
    assert office_case(written) == proper


@pytest.mark.parametrize(("full", "short"), [
    ("Phòng Giáo dục và Đào tạo quận Hải An", "Phòng GD&ĐT"),
    ("Sở Giáo dục và Đào tạo tỉnh Lào Cai", "Sở GD&ĐT"),
    ("Phòng Văn hóa - Xã hội phường Sa Pa", "Phòng Văn hóa - Xã hội"),
    ("Trường Tiểu học Kim Đồng", "Trường Tiểu học Kim Đồng"),
])
def test_short_name(full: str, short: str) -> None:
    assert short_name(full) == short


PROFILES = {  # file → (full name, short name, superior, place, head's title, head's name)
    "ke-hoach-2024-word.docx": ("Phòng Giáo dục và Đào tạo", "Phòng GD&ĐT", "UBND quận Hải An",
                                "Hải An", "Trưởng phòng", "Nguyễn Thị Minh Thu"),
    "so-2025-the-thao.docx": ("Sở Giáo dục và Đào tạo", "Sở GD&ĐT", "UBND tỉnh Lào Cai",
                              "Lào Cai", "Giám đốc", "Hoàng Văn Bình"),
    "truong-2024-2025-chuyen-mon.docx": ("Trường Tiểu học Kim Đồng", "Trường Tiểu học Kim Đồng",
                                         "UBND phường Sa Pa", "Sa Pa", "Hiệu trưởng",
                                         "Lò Thị Mai"),
}


@pytest.mark.parametrize("name", PROFILES)
def test_profile_from_the_header_block_and_signature(name: str) -> None:
    p = profile_of(read_plan(CORPUS / name))
    assert (p.full_name, p.short_name, p.superior, p.place, p.head_title, p.head_name) == \
        PROFILES[name]


def test_profile_is_stored_with_the_plan_and_editable_in_yaml(engine: Engine) -> None:
    spec = default_plan()
    spec.issuer_short = "PGD Hải An"  # as `issuer_short:` in the plan's YAML block would
    with session_scope(engine) as session:
        save_plan(session, spec)
    with session_scope(engine) as session:
        p = profile_of(active_plan(session))
    assert (p.full_name, p.short_name, p.head_title) == (
        "Phòng Giáo dục và Đào tạo quận Hải An", "PGD Hải An", "Trưởng phòng")
