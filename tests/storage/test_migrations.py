"""Schema upgrades in place: a database made by an older release keeps its data."""

from alembic import command
from sqlalchemy import Engine, inspect, text
from sqlmodel import func, select

from storage.assign import fan_out
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
from storage.models import Assignment, Contact, Plan, Task

LEGACY = {"office": "OFFICE", "MN": "MN", "TH": "TH", "THCS": "THCS", "PT": "PT"}


def _seed_first_release(engine: Engine) -> None:
    """The 2024 plan and the Hải An roster as the first release stored them (its columns
    only), with the assignments it made: by unit kind."""
    spec = default_plan()
    units = read_units(DEFAULT_UNITS)
    with engine.begin() as c:
        for u in units:
            c.execute(text("INSERT INTO unit (code, name, kind, ward, active) VALUES "
                           "(:code, :name, :kind, :ward, :active)"),
                      {"code": u.code, "name": u.name, "kind": LEGACY[u.kind.value],
                       "ward": u.ward, "active": True})
        c.execute(text("INSERT INTO plan (issuer, superior, number, title, year, place, "
                       "signer_title, signer_name, recipients, targets, active, imported_at) "
                       "VALUES (:issuer, '', :number, :title, :year, '', '', '', '[]', '[]', "
                       ":active, CURRENT_TIMESTAMP)"),
                  {"issuer": spec.issuer, "number": spec.number, "title": spec.title,
                   "year": spec.year, "active": True})
        kinds = dict(c.execute(text("SELECT id, kind FROM unit")).fetchall())
        ids = dict(c.execute(text("SELECT code, id FROM unit")).fetchall())
        for u in units:
            for person in u.contacts:
                c.execute(text("INSERT INTO contact (name, role, unit_id, phone) VALUES "
                               "(:name, :role, :unit, :phone)"),
                          {"name": person.name, "role": person.role.name, "unit": ids[u.code],
                           "phone": person.phone})
        for area in spec.areas:
            area_id = c.execute(text("INSERT INTO area (plan_id, number, title) VALUES "
                                     "(1, :n, :t) RETURNING id"),
                                {"n": area.number, "t": area.title}).scalar_one()
            for t in area.tasks:
                task_id = c.execute(text(
                    "INSERT INTO task (plan_id, area_id, code, position, content, units_text, "
                    "product, deadline_text, due_kind, due_on, notes) VALUES (1, :a, :code, 0, "
                    ":content, :units, '', :deadline, :kind, :due, '') RETURNING id"),
                    {"a": area_id, "code": t.code, "content": t.content, "units": t.units_text,
                     "deadline": t.deadline_text, "kind": t.due.kind.name,
                     "due": t.due.end}).scalar_one()
                schools = "," in t.units_text
                for unit_id, kind in kinds.items():
                    if kind == "OFFICE" or schools:
                        c.execute(text("INSERT INTO assignment (task_id, unit_id, state, "
                                       "percent, note, evidence) VALUES (:t, :u, "
                                       "'NOT_STARTED', 0, '', '')"), {"t": task_id, "u": unit_id})


def test_upgrade_from_the_first_release_keeps_the_plan(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    assert "outbox" not in inspect(engine).get_table_names()
    _seed_first_release(engine)

    upgrade(engine)

    assert current_revision(engine) == head_revision()
    assert {"outbox", "invite", "pause", "unitalias", "partner"} <= set(
        inspect(engine).get_table_names())
    with session_scope(engine) as session:
        assert session.exec(select(func.count()).select_from(Assignment)).one() == 371
        task = session.exec(select(Task).where(Task.code == "1.1")).one()
        assert task.lead == ["@office", "@MN", "@TH", "@THCS"]  # PT schools are TH and THCS
        plan = session.exec(select(Plan)).one()
        assert plan.issuer_short == "Phòng GD&ĐT"
        assert fan_out(session, plan) == (0, 0)  # the backfilled targets mean the same units


def test_upgrade_backfills_the_local_completion_day(db_url: str) -> None:
    from datetime import UTC, date, datetime

    from sqlalchemy import text

    engine = make_engine(db_url)
    upgrade(engine, "0003")
    _seed_first_release(engine)
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
    _seed_first_release(engine)
    with engine.begin() as c:  # a contact that other rows refer to
        c.execute(text("INSERT INTO identity (contact_id, channel, chat_id, linked_at) "
                       "VALUES (1, 'telegram', '1', CURRENT_TIMESTAMP)"))
    upgrade(engine, "0005_drop_dead_columns")
    assert not {"paused_until", "snoozed_until"} & column_names(engine, "contact")
    with session_scope(engine) as session:
        assert session.exec(select(func.count()).select_from(Contact)).one() > 0
    command.downgrade(alembic_config(engine), "0004")
    assert {"paused_until", "snoozed_until"} <= column_names(engine, "contact")


def test_groups_aliases_and_partners_go_and_come_back(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    command.downgrade(alembic_config(engine), "0006_pending_question")
    assert "groups" not in column_names(engine, "unit")
    assert not {"unitalias", "partner"} & set(inspect(engine).get_table_names())
    upgrade(engine)
    assert {"lead", "partners", "partners_text"} <= column_names(engine, "task")


def column_names(engine: Engine, table: str) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns(table)}


def test_upgrade_is_idempotent(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_the_blocked_list_reads_an_index(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    assert "ix_assignment_state" in {i["name"] for i in inspect(engine).get_indexes("assignment")}
    command.downgrade(alembic_config(engine), "0010_reports")
    assert "ix_assignment_state" not in {i["name"] for i in
                                         inspect(engine).get_indexes("assignment")}
    upgrade(engine)


def test_a_reports_per_school_scan_reads_one_index(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    names = {i["name"] for i in inspect(engine).get_indexes("assignment")}
    assert "ix_assignment_progress" in names and "ix_assignment_unit_id" not in names
    command.downgrade(alembic_config(engine), "0012_inbox_claim_index")
    names = {i["name"] for i in inspect(engine).get_indexes("assignment")}
    assert "ix_assignment_unit_id" in names and "ix_assignment_progress" not in names
    upgrade(engine)
