"""Progress counted by the database: how a city's report reads its 250,000 assignments."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlmodel import Session

from storage.aggregates import Scope, progress
from storage.db import make_engine, session_scope, upgrade
from storage.files.plan import default_plan
from storage.files.roster import DEFAULT_UNITS, read_units
from storage.imports import save_plan, save_units
from storage.plans import active_plan


def test_the_per_school_scan_reads_one_index_in_school_order_on_sqlite(tmp_path: Path
                                                                      ) -> None:
    """Left to itself, SQLite reads the plan task by task and sorts every assignment by
    school (a temporary B-tree of 250,000 rows in a city); the scan must walk
    ix_assignment_progress, which holds every column it reads, in school order."""
    engine = make_engine(f"sqlite:///{tmp_path / 'city.db'}")
    upgrade(engine)
    with session_scope(engine) as session:
        save_units(session, read_units(DEFAULT_UNITS))
        save_plan(session, default_plan())
    statements: list[tuple[str, Any]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def seen(conn: Any, cursor: Any, statement: str, params: Any, context: Any,
             executemany: bool) -> None:
        statements.append((statement, params))

    with session_scope(engine) as session:
        plan = active_plan(session)
        assert plan is not None and plan.id is not None
        progress(session, Scope(plan.id), date(2024, 4, 2))
        (statement, params), = [(s, p) for s, p in statements
                                if "GROUP BY assignment.unit_id" in s]
        steps = _plan(session, statement, params)
        (statement, params), = [(s, p) for s, p in statements if "(SELECT count(*)" in s]
        per_task = _plan(session, statement, params)
    assert "SCAN assignment USING COVERING INDEX ix_assignment_progress" in steps, steps
    assert "TEMP B-TREE" not in steps, steps
    # how many assignments each task has: counted on an index per task, not by a join
    assert "SEARCH assignment USING COVERING INDEX" in per_task, per_task
    assert "SCAN assignment" not in per_task, per_task


def _plan(session: Session, statement: str, params: Any) -> str:
    raw = session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                               tuple(params))
    return " | ".join(str(r[3]) for r in raw)
