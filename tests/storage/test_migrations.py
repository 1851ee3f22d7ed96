"""Schema upgrades in place: a database made by an older release keeps its data."""

from sqlalchemy import inspect
from sqlmodel import func, select

from storage.db import current_revision, head_revision, make_engine, session_scope, upgrade
from storage.imports import save_plan, save_units
from storage.models import Assignment
from storage.planfile import default_plan
from storage.unitsfile import DEFAULT_UNITS, read_units


def test_upgrade_from_the_first_release_keeps_the_plan(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    assert "outbox" not in inspect(engine).get_table_names()
    with session_scope(engine) as session:
        save_units(session, read_units(DEFAULT_UNITS))
        save_plan(session, default_plan())

    upgrade(engine)

    assert current_revision(engine) == head_revision()
    assert {"outbox", "invite", "pause"} <= set(inspect(engine).get_table_names())
    with session_scope(engine) as session:
        assert session.exec(select(func.count()).select_from(Assignment)).one() == 371


def test_upgrade_is_idempotent(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
