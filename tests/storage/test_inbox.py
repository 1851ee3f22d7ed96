"""The inbox stores each update once, whatever the platform sends again."""

from datetime import UTC, datetime

from storage.db import make_engine, session_scope, upgrade
from storage.inbox import NewUpdate, rows, store

NOW = datetime(2024, 3, 20, 2, 0, tzinfo=UTC)


def _update(n: int) -> NewUpdate:
    return NewUpdate("telegram", str(n), {"text": "xong 1.1", "chat_id": "7"})


def test_an_update_sent_again_is_stored_once(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    with session_scope(engine) as session:
        assert store(session, [_update(1)], now=NOW) == 1
    with session_scope(engine) as session:
        assert store(session, [_update(1)], now=NOW) == 0
        assert store(session, [_update(1), _update(2), _update(3)], now=NOW) == 2
    with session_scope(engine) as session:
        assert [r.update_id for r in rows(session)] == ["1", "2", "3"]


def test_a_claim_reads_the_rows_waiting_not_the_history(db_url: str) -> None:
    """The inbox keeps every update: claiming must not scan them (SQLite picked the
    (channel, update_id) index and read every row the channel ever received)."""
    from sqlalchemy import text

    engine = make_engine(db_url)
    upgrade(engine)
    if engine.dialect.name != "sqlite":
        return  # the plan below is SQLite's; PostgreSQL plans by its statistics
    with engine.connect() as c:
        plan = " ".join(str(r[3]) for r in c.execute(text(
            "EXPLAIN QUERY PLAN SELECT id FROM inbox WHERE state IN ('PENDING', 'HANDLED') "
            "AND due_at <= '2030-01-01' AND channel IN ('telegram') ORDER BY id LIMIT 256")))
    assert "ix_inbox_state_due" in plan, plan
