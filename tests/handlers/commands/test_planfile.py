"""A plan file sent in the chat (through the memory transport, straight to the core): staff
get the preview and "Nhập" / "Huỷ"; nothing is written before "Nhập"; the file waiting for
the answer survives a restart; principals' files stay evidence; other files are told
apart in Vietnamese."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import Engine, func
from sqlmodel import select

from bot.settings import Settings
from bot.transports.memory import MemoryTransport, texts_of
from handlers.commands import texts
from handlers.core import Core
from handlers.messages import Action, ActionKind, Outgoing
from storage.db import session_scope
from storage.models import (
    Area,
    Assignment,
    PendingImport,
    Plan,
    ReportPeriod,
    State,
    Task,
    Unit,
    UnitAlias,
)
from tests.handlers.conftest import Clock, invite_code
from tests.storage.files.test_corpus import CORPUS

STAFF, PRINCIPAL = "staff", "principal"


@pytest.fixture
def chat(loaded: Engine, clock: Clock, tmp_path: Path) -> tuple[MemoryTransport, Core]:
    memory = MemoryTransport("telegram")
    core = Core(loaded, Settings.defaults().config(clock, tmp_path))
    for chat_id, who in ((STAFF, "PGD"), (PRINCIPAL, "TH-CATBI")):
        assert "Kính chào" in texts_of(memory.talk(core, chat_id, "/start "
                                                   + invite_code(loaded, who, clock)))
    return memory, core


def saved(tmp_path: Path, corpus_name: str, update: str = "u1") -> Path:
    """A corpus file where a transport would have saved it."""
    path = tmp_path / "incoming" / f"telegram-{update}" / corpus_name
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(CORPUS / corpus_name, path)
    return path


def send_file(memory: MemoryTransport, core: Core, chat_id: str, path: Path,
              caption: str = "") -> list[Outgoing]:
    return memory.talk(core, chat_id, caption, file=f"telegram:{path.name}",
                       file_name=path.name, file_size=path.stat().st_size,
                       file_path=str(path))


def press(memory: MemoryTransport, core: Core, chat_id: str, data: str) -> str:
    return texts_of(memory.talk(core, chat_id, callback=data, action=Action.decode(data)))


def stored(engine: Engine) -> dict[str, object]:
    """Everything an import would change, as counts and plain values."""
    with session_scope(engine) as session:
        counts = {m.__name__: session.exec(select(func.count()).select_from(m)).one()
                  for m in (Plan, Area, Task, Assignment, ReportPeriod, UnitAlias, Unit)}
        tasks = sorted((t.code, t.content, t.due_on) for t in session.exec(select(Task)))
        return {**counts, "tasks": tasks}


def buttons(answer: list[Outgoing]) -> list[tuple[str, str]]:
    return [(b.label, b.data) for m in answer for row in m.buttons for b in row]


def test_staff_see_the_preview_and_nothing_is_written_before_import(
        chat, loaded: Engine, tmp_path: Path) -> None:
    memory, core = chat
    before = stored(loaded)
    path = saved(tmp_path, "ke-hoach-2024-word.docx")
    answer = send_file(memory, core, STAFF, path)
    text = texts_of(answer)
    assert text.startswith("XEM TRƯỚC KẾ HOẠCH")
    assert "7 mục, 21 nhiệm vụ; hạn sớm nhất 29/02/2024, muộn nhất 30/06/2024" in text
    assert [label for label, _ in buttons(answer)] == ["Nhập", "Huỷ"]
    assert stored(loaded) == before
    with session_scope(loaded) as session:
        held = session.exec(select(PendingImport)).one()
        assert (held.path, held.file_name) == (str(path), "ke-hoach-2024-word.docx")

    imported = press(memory, core, STAFF, buttons(answer)[0][1])
    assert imported.startswith("Đã nhập kế hoạch") and "cập nhật 21" in imported
    after = stored(loaded)
    assert after["Task"] == 21 and after["Plan"] == 1
    with session_scope(loaded) as session:
        assert session.exec(select(PendingImport)).all() == []
    assert not path.exists() and not path.parent.exists()
    assert "không còn hiệu lực" in press(memory, core, STAFF, buttons(answer)[0][1])


def test_cancel_writes_nothing(chat, loaded: Engine, tmp_path: Path) -> None:
    memory, core = chat
    before = stored(loaded)
    path = saved(tmp_path, "ke-hoach-2024-excel.xlsx")
    answer = send_file(memory, core, STAFF, path)
    cancelled = press(memory, core, STAFF, buttons(answer)[1][1])
    assert cancelled == texts.plan_import_cancelled("ke-hoach-2024-excel.xlsx")
    assert stored(loaded) == before
    assert not path.exists()
    assert "không còn hiệu lực" in press(memory, core, STAFF, buttons(answer)[0][1])
    assert stored(loaded) == before


def test_the_waiting_import_survives_a_restart(chat, loaded: Engine, clock: Clock,
                                               tmp_path: Path) -> None:
    memory, core = chat
    answer = send_file(memory, core, STAFF, saved(tmp_path, "ke-hoach-2024-word.docx"),
                       caption="năm 2024")
    restarted = Core(loaded, Settings.defaults().config(clock, tmp_path))
    assert press(memory, restarted, STAFF, buttons(answer)[0][1]).startswith(
        "Đã nhập kế hoạch")


def test_an_expired_preview_imports_nothing(chat, loaded: Engine, clock: Clock,
                                            tmp_path: Path) -> None:
    memory, core = chat
    before = stored(loaded)
    path = saved(tmp_path, "ke-hoach-2024-word.docx")
    answer = send_file(memory, core, STAFF, path)
    clock.now += timedelta(hours=texts.IMPORT_HOURS, minutes=1)
    assert press(memory, core, STAFF, buttons(answer)[0][1]) == texts.PLAN_IMPORT_GONE
    assert stored(loaded) == before and not path.exists()


def test_unresolved_phrases_are_shown_and_no_import_is_offered(
        chat, loaded: Engine, tmp_path: Path) -> None:
    memory, core = chat
    before = stored(loaded)
    path = saved(tmp_path, "phuong-2025-phong-dich.xlsx")
    answer = send_file(memory, core, STAFF, path)
    text = texts_of(answer)
    assert "Chưa rõ đơn vị: dòng" in text and "“Các trường được giao nhiệm vụ”" in text
    assert "Chưa thể nhập" in text and "--map" in text
    assert buttons(answer) == []
    assert stored(loaded) == before
    with session_scope(loaded) as session:
        assert session.exec(select(PendingImport)).all() == []
    assert not path.exists()


def test_a_file_that_is_not_a_plan_is_answered_in_vietnamese(
        chat, loaded: Engine, tmp_path: Path) -> None:
    memory, core = chat
    before = stored(loaded)
    picture = tmp_path / "anh-hop.pdf"
    picture.write_bytes(b"%PDF-1.4")
    assert texts_of(memory.talk(core, STAFF, file="telegram:x", file_name="anh-hop.pdf",
                                file_size=8)) == texts.not_a_plan_file("anh-hop.pdf")

    letter = tmp_path / "incoming" / "telegram-u2" / "cong-van.docx"
    letter.parent.mkdir(parents=True)
    document = Document()
    document.add_paragraph("Kính gửi các trường. Đề nghị nộp báo cáo trước ngày 15/4.")
    document.save(str(letter))
    answer = texts_of(send_file(memory, core, STAFF, letter))
    assert answer.startswith("Không đọc được kế hoạch. Tệp cong-van.docx")
    assert answer.endswith("Chưa có gì được ghi.")

    broken = tmp_path / "incoming" / "telegram-u3" / "hong.xlsx"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    assert texts_of(send_file(memory, core, STAFF, broken)).startswith(
        "Không đọc được kế hoạch. Tệp hong.xlsx")
    assert stored(loaded) == before


def test_a_file_too_big_or_not_fetched_is_told(chat) -> None:
    memory, core = chat
    big = memory.talk(core, STAFF, file="telegram:big", file_name="ke-hoach.docx",
                      file_size=50 * 2**20)
    assert texts_of(big) == texts.plan_file_too_large("ke-hoach.docx", 10)
    lost = memory.talk(core, STAFF, file="telegram:lost", file_name="ke-hoach.xlsx",
                       file_size=1000)
    assert texts_of(lost) == texts.plan_file_not_received("ke-hoach.xlsx")


def test_a_principal_sending_a_file_gets_the_evidence_handling(
        chat, loaded: Engine, tmp_path: Path) -> None:
    memory, core = chat
    before = stored(loaded)
    path = saved(tmp_path, "ke-hoach-2024-word.docx")
    answer = texts_of(send_file(memory, core, PRINCIPAL, path, caption="xong 1.1"))
    assert "Đã ghi nhận" in answer and "XEM TRƯỚC" not in answer
    with session_scope(loaded) as session:
        record = session.exec(select(Assignment).join(Task).join(Unit).where(
            Unit.code == "TH-CATBI", Task.code == "1.1")).one()
        assert (record.state, record.evidence) == (State.DONE,
                                                   "telegram:ke-hoach-2024-word.docx")
    assert stored(loaded)["Task"] == before["Task"]
    data = Action(ActionKind.IMPORT, question=1, yes=True).encode()
    assert "chỉ dành cho" in press(memory, core, PRINCIPAL, data)


def test_staff_reporting_for_a_school_with_a_file_is_not_a_plan(chat, loaded: Engine,
                                                                 tmp_path: Path) -> None:
    memory, core = chat
    path = saved(tmp_path, "ke-hoach-2024-excel.xlsx")
    answer = texts_of(send_file(memory, core, STAFF, path, caption="TH-CATBI xong 1.1"))
    assert answer.startswith("Đã ghi nhận cho Trường Tiểu học Cát Bi")
