"""A prepared statement (run on the driver's cursor) stores and reads exactly what
SQLAlchemy stores and reads, in the caller's transaction."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import bindparam, insert, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select

from storage.db import make_engine
from storage.models import Assignment, History, State, Task
from storage.prepared import Prepared

READ = (sa_select(Assignment.id, Assignment.state, Assignment.percent, Assignment.note,
                  Assignment.completed_at, Assignment.completed_on, Task.due_on)
        .join(Task, col(Assignment.task_id) == Task.id)
        .where(col(Assignment.id) == bindparam("aid")))
WRITE = (update(Assignment).where(col(Assignment.id) == bindparam("aid"))
         .values(state=bindparam("state"), percent=bindparam("percent"), note=bindparam("note"),
                 completed_at=bindparam("at"), completed_on=bindparam("on")))
COLUMNS = ("at", "batch", "action", "assignment_id", "contact_id", "on_behalf", "channel",
           "raw_text", "old", "new")
LOG = insert(History).values({c: bindparam(c) for c in COLUMNS})


def _first_ids(session: Session) -> tuple[int, int]:
    a, b = session.exec(select(Assignment.id).order_by(col(Assignment.id)).limit(2)).all()
    return a or 0, b or 0


def test_a_write_stores_what_sqlalchemy_stores(session: Session) -> None:
    mine, theirs = _first_ids(session)
    values = {"state": State.DONE, "percent": 100, "note": "Đã nộp — “đúng hạn”",
              "at": datetime(2024, 3, 20, 2, 0, tzinfo=UTC), "on": date(2024, 3, 20)}
    Prepared(WRITE).execute(session, {"aid": mine, **values})
    session.connection().execute(WRITE, {"aid": theirs, **values})
    rows = [session.connection().execute(READ, {"aid": a}).one() for a in (mine, theirs)]
    assert rows[0][1:] == rows[1][1:]
    assert rows[0].state == State.DONE and rows[0].completed_on == date(2024, 3, 20)


def test_a_read_gives_what_sqlalchemy_gives(session: Session) -> None:
    aid, _ = _first_ids(session)
    Prepared(WRITE).execute(session, {"aid": aid, "state": State.IN_PROGRESS, "percent": 40,
                                      "note": "thiếu kinh phí",
                                      "at": datetime(2024, 3, 20, 2, 0, tzinfo=UTC),
                                      "on": date(2024, 3, 20)})
    (fast,) = Prepared(READ).execute(session, {"aid": aid})
    (plain,) = session.connection().execute(READ, {"aid": aid}).all()
    assert fast == tuple(plain)
    assert isinstance(fast[1], State) and isinstance(fast[5], date)


def test_history_rows_keep_their_json_and_flags(session: Session) -> None:
    aid, _ = _first_ids(session)
    row = {"at": datetime(2024, 3, 20, 2, 0, tzinfo=UTC), "batch": "b1", "action": "record",
           "assignment_id": aid, "contact_id": None, "on_behalf": True, "channel": "zalo",
           "raw_text": "xong 1.1 ạ", "old": {"state": "not_started", "percent": 0},
           "new": {"state": "done", "note": "Đủ hồ sơ"}}
    Prepared(LOG).execute(session, row)
    (stored,) = session.exec(select(History).where(History.batch == "b1")).all()
    assert (stored.action, stored.on_behalf, stored.channel, stored.raw_text, stored.old,
            stored.new) == ("record", True, "zalo", "xong 1.1 ạ", row["old"], row["new"])
    assert stored.id is not None


def test_a_write_is_part_of_the_callers_transaction(loaded) -> None:  # noqa: ANN001
    with Session(loaded) as session:
        aid, _ = _first_ids(session)
        Prepared(WRITE).execute(session, {"aid": aid, "state": State.DONE, "percent": 100,
                                          "note": "", "at": None, "on": None})
        session.rollback()
    with Session(loaded) as session:
        assert session.get(Assignment, aid).state == State.NOT_STARTED  # type: ignore[union-attr]


def test_expanding_values_are_refused(session: Session) -> None:
    statement = sa_select(Assignment.id).where(
        col(Assignment.id).in_(bindparam("ids", expanding=True)))
    with pytest.raises(ValueError, match="ids"):
        Prepared(statement).execute(session, {"ids": [1, 2]})


def test_a_locked_row_raises_what_sqlalchemy_raises(loaded, db_url: str) -> None:  # noqa: ANN001
    """A busy database is an OperationalError, as through SQLAlchemy: the inbox retries it
    without counting an attempt against the message."""
    holder = Session(loaded)
    aid, _ = _first_ids(holder)
    holder.connection().execute(WRITE, {"aid": aid, "state": State.DONE, "percent": 100,
                                        "note": "", "at": None, "on": None})
    impatient = make_engine(db_url, busy_timeout=0.1)
    try:
        with Session(impatient) as session:
            if impatient.dialect.name == "postgresql":
                session.connection().exec_driver_sql("SET LOCAL lock_timeout = '100ms'")
            with pytest.raises(OperationalError):
                Prepared(WRITE).execute(session, {"aid": aid, "state": State.BLOCKED,
                                                  "percent": 0, "note": "", "at": None,
                                                  "on": None})
    finally:
        holder.rollback()
        holder.close()
        impatient.dispose()


def test_a_refused_write_raises_what_sqlalchemy_raises(session: Session) -> None:
    row = {"at": datetime(2024, 3, 20, 2, 0, tzinfo=UTC), "batch": "b2", "action": "record",
           "assignment_id": 10**9, "contact_id": None, "on_behalf": False, "channel": "zalo",
           "raw_text": "", "old": {}, "new": {}}  # no such assignment
    with pytest.raises(IntegrityError):
        Prepared(LOG).execute(session, row)
