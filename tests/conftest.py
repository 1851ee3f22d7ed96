"""Shared fixtures: a real migrated database, loaded through the public import functions."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlmodel import Session

from storage.db import make_engine, session_scope, upgrade
from storage.files.plan import default_plan
from storage.files.roster import DEFAULT_UNITS, read_units
from storage.imports import save_plan, save_units

PG_URL = os.environ.get("NHACVIEC_TEST_PG", "")
# Modules whose tests run on SQLite and, when a server is given, on PostgreSQL too.
BOTH = ("tests/storage/", "tests/bot/test_sender.py", "tests/bot/test_pg_",
        "tests/bot/test_faults", "tests/bot/test_inbox.py", "tests/bot/test_fuzz",
        "tests/handlers/", "tests/bot/web/test_app.py")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_backend" in metafunc.fixturenames:
        path = str(metafunc.definition.path).replace(os.sep, "/")
        both = PG_URL and any(part in path for part in BOTH)
        metafunc.parametrize("db_backend", ["sqlite", "postgresql"] if both else ["sqlite"])


@pytest.fixture
def db_url(tmp_path: Path, db_backend: str) -> Iterator[str]:
    if db_backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    name = f"nv_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql(f"CREATE DATABASE {name}")
    yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as c:
        c.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def loaded(engine: Engine) -> Engine:
    """The embedded 2024 plan and the sample Hải An roster."""
    with session_scope(engine) as session:
        save_units(session, read_units(DEFAULT_UNITS))
        save_plan(session, default_plan())
    return engine


@pytest.fixture
def session(loaded: Engine) -> Iterator[Session]:
    with session_scope(loaded) as session:
        yield session
