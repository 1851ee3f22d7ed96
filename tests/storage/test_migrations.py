"""Schema upgrades in place: a database made by an older release keeps its data."""

from alembic import command
from sqlalchemy import Engine, inspect
from sqlmodel import func, select

from storage.db import (
    alembic_config,
    current_revision,
    head_revision,
    make_engine,
    session_scope,
    upgrade,
)
from storage.files.plan import default_plan
from storage.files.roster import DEFAULT_UNITS, read_units
from storage.imports import link_identity, save_plan, save_units
from storage.models import Assignment, Contact


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


def test_upgrade_backfills_the_local_completion_day(db_url: str) -> None:
    from datetime import UTC, date, datetime

    from sqlalchemy import text

    engine = make_engine(db_url)
    upgrade(engine, "0003")
    with session_scope(engine) as session:
        save_units(session, read_units(DEFAULT_UNITS))
        save_plan(session, default_plan())
    with engine.begin() as connection:  # done at 20:00 UTC on 29/2: 1/3 in Hải An
        connection.execute(text("UPDATE assignment SET state='DONE', completed_at=:at "
                                "WHERE id=1"), {"at": datetime(2024, 2, 29, 20, 0, tzinfo=UTC)})
    upgrade(engine)
    with session_scope(engine) as session:
        assert session.get(Assignment, 1).completed_on == date(2024, 3, 1)


def test_upgrade_drops_the_contact_columns_nothing_read(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0004")
    assert {"paused_until", "snoozed_until"} <= column_names(engine, "contact")
    with session_scope(engine) as session:  # contacts that other rows refer to
        save_units(session, read_units(DEFAULT_UNITS))
        save_plan(session, default_plan())
        contact = session.exec(select(Contact)).first()
        link_identity(session, contact_id=contact.id, channel="telegram", chat_id="1")
    upgrade(engine)
    assert not {"paused_until", "snoozed_until"} & column_names(engine, "contact")
    with session_scope(engine) as session:
        assert session.exec(select(func.count()).select_from(Contact)).one() > 0
    command.downgrade(alembic_config(engine), "0004")
    assert {"paused_until", "snoozed_until"} <= column_names(engine, "contact")


def column_names(engine: Engine, table: str) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns(table)}


def test_upgrade_is_idempotent(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
