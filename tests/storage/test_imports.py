"""Saving plans and rosters: fan-out by unit kind, in-place re-import, all-or-nothing."""

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

import storage.imports
from storage.db import session_scope
from storage.files.errors import ImportFileError
from storage.files.plan import default_plan, read_plan
from storage.files.roster import read_units
from storage.imports import RosterChangedError, save_plan, save_units
from storage.models import Assignment, Contact, Role, State, Task, Unit, UnitKind
from storage.plans import active_plan
from storage.records import Change, record_changes, statuses
from storage.units import unit_by_code
from tests.storage.files.planfiles import ROWS, write_csv


def codes_of(session: Session, unit_code: str) -> set[str]:
    plan = active_plan(session)
    unit = unit_by_code(session, code=unit_code)
    assert plan and unit
    return {s.task.code for s in statuses(session, plan_id=plan.id or 0, unit_id=unit.id)}


OFFICE_ONLY = {"1.3", "3.2", "4.1", "4.2", "6.2", "7.2", "7.4"}


def test_default_plan_fans_out_by_unit_kind(session: Session) -> None:
    assert session.exec(select(func.count()).select_from(Task)).one() == 21
    all_codes = {t.code for t in default_plan().tasks}
    school_codes = all_codes - OFFICE_ONLY
    assert codes_of(session, "PGD") == all_codes
    for code in ("MN-CATBI", "TH-DANGLAM", "THCS-THANHTO", "PT-HAIAN"):
        assert codes_of(session, code) == school_codes
    kinds = {u.kind for u in session.exec(select(Unit))}
    assert kinds == set(UnitKind) - {UnitKind.THPT}  # the Hải An sample has no THPT school
    assert session.exec(select(func.count()).select_from(Unit)).one() == 26
    assert session.exec(select(func.count()).select_from(Assignment)).one() == 14 * 26 + 7


def test_reimport_updates_in_place_and_keeps_records(loaded: Engine) -> None:
    with session_scope(loaded) as session:
        unit = unit_by_code(session, code="TH-CATBI")
        assignment = next(s.assignment for s in statuses(
            session, plan_id=active_plan(session).id, unit_id=unit.id) if s.task.code == "1.1")
        record_changes(session, changes=[Change(assignment.assignment_id, State.DONE)],
                       contact_id=None, channel="test", raw_text="xong 1.1", batch="b1")
    spec = default_plan()
    spec.tasks[0].content = "Xây dựng kế hoạch CCHC năm 2024 (sửa)"
    with session_scope(loaded) as session:
        summary = save_plan(session, spec)
        assert (summary.tasks_added, summary.tasks_updated) == (0, 21)
    with session_scope(loaded) as session:
        task = session.exec(select(Task).where(Task.code == "1.1")).one()
        assert task.content.endswith("(sửa)")
        kept = session.exec(select(Assignment).where(
            Assignment.id == assignment.assignment_id)).one()
        assert kept.state == State.DONE
        assert session.exec(select(func.count()).select_from(Task)).one() == 21


def test_bad_row_writes_nothing(tmp_path: Path, loaded: Engine) -> None:
    rows = [r[:] for r in ROWS]
    rows[-1][4] = "khi nào xong thì báo"
    with pytest.raises(ImportFileError) as err:
        read_plan(write_csv(tmp_path / "bad.csv", rows))
    assert err.value.row == 6
    with session_scope(loaded) as session:
        assert active_plan(session).year == 2024
        assert session.exec(select(func.count()).select_from(Task)).one() == 21


def test_a_second_plan_becomes_active(tmp_path: Path, loaded: Engine) -> None:
    with session_scope(loaded) as session:
        save_plan(session, read_plan(write_csv(tmp_path / "p.csv"), number="01/KH-PGDĐT"))
    with session_scope(loaded) as session:
        plan = active_plan(session)
        assert (plan.year, plan.number) == (2025, "01/KH-PGDĐT")
        assert codes_of(session, "MN-CATBI") == {"1.1", "2.1"}
        assert codes_of(session, "TH-CATBI") == {"1.1"}
        assert codes_of(session, "PGD") == {"1.1", "1.2"}


def test_units_import_adds_schools_and_assigns_them(tmp_path: Path, loaded: Engine) -> None:
    path = tmp_path / "units.csv"
    path.write_text(
        "Mã đơn vị,Tên đơn vị,Loại,Phường,Họ tên,Vai trò,Điện thoại\n"
        "TH-MOI,Trường Tiểu học Mới,Tiểu học,Cát Bi,Trần Văn Mới,Hiệu trưởng,0900 111 222\n",
        encoding="utf-8")
    with session_scope(loaded) as session:
        summary = save_units(session, read_units(path))
        assert summary.units_added == 1
    with session_scope(loaded) as session:
        assert len(codes_of(session, "TH-MOI")) == 14
        contact = session.exec(select(Contact).where(Contact.phone == "0900111222")).one()
        assert contact.name == "Trần Văn Mới"


@pytest.mark.parametrize(("line", "column"), [
    ("TH-X,Trường X,Đại học,Cát Bi,A,principal,0900111222", "Loại"),
    ("TH-X,Trường X,TH,Cát Bi,A,hiệu phó,0900111222", "Vai trò"),
    ("TH-X,Trường X,TH,Cát Bi,A,principal,12345", "Điện thoại"),
    ("TH X!,Trường X,TH,Cát Bi,A,principal,0900111222", "Mã đơn vị"),
])
def test_bad_roster_row_is_named_and_nothing_written(tmp_path: Path, loaded: Engine,
                                                     line: str, column: str) -> None:
    path = tmp_path / "units.csv"
    path.write_text("unit_code,unit_name,unit_kind,ward,contact_name,role,phone\n"
                    "TH-OK,Trường OK,TH,Cát Bi,B,principal,0900111333\n" + line + "\n",
                    encoding="utf-8")
    with pytest.raises(ImportFileError) as err:
        read_units(path)
    assert (err.value.row, err.value.column) == (3, column)
    with session_scope(loaded) as session:
        assert unit_by_code(session, code="TH-OK") is None


def test_duplicate_phone_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text("unit_code,unit_name,unit_kind,ward,contact_name,role,phone\n"
                    "TH-A,Trường A,TH,,A,principal,0900111333\n"
                    "TH-B,Trường B,TH,,B,principal,0900111333\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="trùng với dòng 2"):
        read_units(path)


def big_roster(path: Path, schools: int) -> Path:
    lines = ["Mã đơn vị,Tên đơn vị,Loại,Phường,Họ tên,Vai trò,Điện thoại"]
    lines += [f"TH-L{i:04d},Trường Tiểu học L{i},Tiểu học,Cát Bi,Người {i},Hiệu trưởng,"
              f"09{i:08d}" for i in range(schools)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_big_roster_is_prepared_without_holding_the_write_lock(
        tmp_path: Path, loaded: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading, checking and staging (more rows than STAGE_ABOVE) leave the database free:
    another writer gets the lock at once, just before the one short write."""
    if loaded.dialect.name != "sqlite":
        pytest.skip("the write lock is SQLite's")
    seen: list[bool] = []
    apply = storage.imports._apply

    def other_writer_first(session: Session, todo: object, file: str) -> None:
        other = sqlite3.connect(loaded.url.database or "", timeout=0)
        other.execute("BEGIN IMMEDIATE")  # raises "database is locked" if it is held
        other.execute("UPDATE unit SET ward = ward WHERE 0")
        other.commit()
        other.close()
        seen.append(True)
        apply(session, todo, file)  # type: ignore[arg-type]

    monkeypatch.setattr(storage.imports, "_apply", other_writer_first)
    with session_scope(loaded) as session:
        summary = save_units(session, read_units(big_roster(tmp_path / "big.csv", 2500)))
    assert seen == [True] and summary.units_added == 2500
    with session_scope(loaded) as session:
        assert len(codes_of(session, "TH-L2499")) == 14
        assert session.exec(select(func.count()).select_from(Contact)
                            .where(col(Contact.phone).like("09%"))).one() >= 2500


def test_a_roster_changed_while_being_prepared_writes_nothing(
        tmp_path: Path, loaded: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    apply = storage.imports._apply

    def someone_adds_a_contact(session: Session, todo: object, file: str) -> None:
        with session_scope(loaded) as other:
            unit = unit_by_code(other, code="PGD")
            assert unit is not None
            other.add(Contact(name="Người Khác", role=Role.STAFF, unit_id=unit.id or 0))
        apply(session, todo, file)  # type: ignore[arg-type]

    monkeypatch.setattr(storage.imports, "_apply", someone_adds_a_contact)
    with session_scope(loaded) as session:
        units_before = session.exec(select(func.count()).select_from(Unit)).one()
    with pytest.raises(RosterChangedError), session_scope(loaded) as session:
        save_units(session, read_units(big_roster(tmp_path / "big.csv", 2500)))
    with session_scope(loaded) as session:
        assert session.exec(select(func.count()).select_from(Unit)).one() == units_before
