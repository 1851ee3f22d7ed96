"""Shared fixtures: a real migrated database, loaded through the public import functions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from storage.db import make_engine, session_scope, upgrade
from storage.imports import save_plan, save_units
from storage.planfile import default_plan
from storage.unitsfile import DEFAULT_UNITS, read_units


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


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
