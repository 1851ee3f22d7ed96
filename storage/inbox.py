"""The inbox: every incoming update is a row before the platform is told it arrived.

Rows move pending → handled (the core's changes and its answers committed together) →
answered (the answers sent). A claim leases rows for a short while, so a process that dies
mid-way leaves them to another (or to itself after a restart): a pending row is handled
again from scratch (its transaction never committed), a handled row has only its answers
sent again — at most the answers that were in flight go out twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from storage.models import Inbox, InboxState

LEASE = timedelta(seconds=30)


@dataclass(frozen=True)
class NewUpdate:
    channel: str
    update_id: str
    message: dict[str, Any]
    context: dict[str, Any] = field(default_factory=dict)


def store(session: Session, updates: list[NewUpdate], *, now: datetime) -> int:
    """Insert the updates not seen before (by channel and update id); returns how many
    were new. Safe to call twice with the same updates."""
    if not updates:
        return 0
    rows = [{"channel": u.channel, "update_id": u.update_id, "message": u.message,
             "context": u.context, "received_at": now, "state": InboxState.PENDING,
             "due_at": now, "attempts": 0, "answers": [], "last_error": ""} for u in updates]
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (insert(Inbox).on_conflict_do_nothing(index_elements=["channel", "update_id"])
                 .returning(col(Inbox.id)))  # the rows inserted: no count of a growing table
    return len(session.connection().execute(statement, rows).all())


def claim(session: Session, *, now: datetime, limit: int = 256, channels: list[str],
          lease: timedelta = LEASE) -> list[Inbox]:
    """Rows to work on, oldest first, leased to this process: pending ones to handle and
    handled ones whose answers were not confirmed sent within their lease."""
    due = (select(Inbox.id).where(col(Inbox.state).in_([InboxState.PENDING,
                                                          InboxState.HANDLED]),
                                  Inbox.due_at <= now, col(Inbox.channel).in_(channels))
           .order_by(col(Inbox.id)).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    claimed = (update(Inbox).where(col(Inbox.id).in_(due.scalar_subquery()))
               .values(due_at=now + lease, attempts=Inbox.attempts + 1).returning(Inbox))
    rows = list(session.execute(claimed, execution_options={"synchronize_session": False})
                .scalars())
    for row in rows:  # plain values from here on: never flushed again by this session
        session.expunge(row)
    return sorted(rows, key=lambda r: r.id or 0)


def claim_one(session: Session, *, inbox_id: int, now: datetime,
              lease: timedelta = LEASE) -> Inbox | None:
    """One pending row by id (to handle it on its own after its wave failed)."""
    claimed = (update(Inbox).where(col(Inbox.id) == inbox_id,
                                   col(Inbox.state) == InboxState.PENDING)
               .values(due_at=now + lease).returning(Inbox))
    row = session.execute(claimed, execution_options={"synchronize_session": False}
                          ).scalars().first()
    if row is not None:
        session.expunge(row)
    return row


def mark_handled(session: Session, *, inbox_id: int, answers: list[dict[str, Any]],
                 state: InboxState = InboxState.HANDLED) -> None:
    session.connection().execute(update(Inbox).where(col(Inbox.id) == inbox_id).values(
        state=state, answers=answers, last_error=""))


def mark_all_handled(session: Session, answers: dict[int, list[dict[str, Any]]]) -> None:
    """`mark_handled` for many rows in one statement."""
    if answers:
        session.connection().execute(
            update(Inbox).where(col(Inbox.id) == bindparam("row_id"))
            .values(state=InboxState.HANDLED, answers=bindparam("new_answers"), last_error=""),
            [{"row_id": k, "new_answers": v} for k, v in answers.items()])


def mark_answered(session: Session, *, inbox_ids: list[int]) -> None:
    if inbox_ids:
        session.connection().execute(update(Inbox).where(col(Inbox.id).in_(inbox_ids))
                                     .values(state=InboxState.ANSWERED, answers=[]))


def mark_retry(session: Session, *, inbox_id: int, error: str, at: datetime,
               count: bool = True) -> None:
    """Try again at *at*; a failure that is not the message's fault (the database was
    busy) does not count as an attempt."""
    values: dict[str, Any] = {"due_at": at, "last_error": error[:500]}
    if not count:
        values["attempts"] = Inbox.attempts - 1
    session.connection().execute(update(Inbox).where(col(Inbox.id) == inbox_id)
                                 .values(**values))


def waiting(session: Session) -> int:
    """Updates stored but not yet answered."""
    return session.exec(select(func.count()).select_from(Inbox).where(
        col(Inbox.state).in_([InboxState.PENDING, InboxState.HANDLED]))).one()


def rows(session: Session) -> list[Inbox]:
    return list(session.exec(select(Inbox).order_by(col(Inbox.id))))


def next_due(session: Session, *, channels: list[str]) -> datetime | None:
    return session.exec(select(func.min(Inbox.due_at)).where(
        col(Inbox.state).in_([InboxState.PENDING, InboxState.HANDLED]),
        col(Inbox.channel).in_(channels))).one()
