"""Online backup, and the one-planner lock."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import func, select

from storage.backup import backup
from storage.db import make_engine, session_scope
from storage.leader import Leadership
from storage.models import Assignment


def test_backup_is_a_consistent_copy(loaded: Engine, tmp_path: Path, db_backend: str) -> None:
    if db_backend == "postgresql" and shutil.which("pg_dump") is None:
        pytest.fail("pg_dump is needed for the PostgreSQL backup")
    target = backup(loaded, tmp_path / "backup.db")
    assert target.stat().st_size > 0
    if db_backend == "sqlite":
        copy = make_engine(f"sqlite:///{target}")
        with session_scope(copy) as session:
            assert session.exec(select(func.count()).select_from(Assignment)).one() == 371
    else:
        assert target.read_bytes()[:5] == b"PGDMP"


def test_only_one_process_plans_on_postgresql(engine: Engine, db_url: str,
                                              db_backend: str) -> None:
    first, second = Leadership(engine), Leadership(make_engine(db_url))
    assert first.held()
    if db_backend == "sqlite":
        assert second.held()  # no lock: the outbox keys keep SQLite safe
        return
    assert not second.held()
    first.release()  # the holder dies: its connection and lock go
    assert second.held()
    assert not first.held()
    second.release()
