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
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from storage.models import Inbox, InboxState
from storage.prepared import Prepared

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
    statement = _store(session.get_bind().dialect.name == "postgresql")
    return len(session.connection().execute(statement, rows).all())


@cache
def _store(postgresql: bool) -> Any:
    insert = pg_insert if postgresql else sqlite_insert
    return (insert(Inbox).on_conflict_do_nothing(index_elements=["channel", "update_id"])
            .returning(col(Inbox.id)))  # the rows inserted: no count of a growing table


@dataclass(slots=True)
class Claimed:
    """A leased inbox row as plain values (no ORM object: a claim is on every wave's path)."""

    id: int
    channel: str
    update_id: str
    message: dict[str, Any]
    context: dict[str, Any]
    state: InboxState
    attempts: int
    answers: list[dict[str, Any]]


_FIELDS = [col(getattr(Inbox, name)) for name in Claimed.__slots__]
_WORK = [InboxState.PENDING, InboxState.HANDLED]


@cache
def _claim(postgresql: bool, channels: tuple[str, ...]) -> Prepared:
    """Built once per dialect and set of channels: the hot path only binds values."""
    due = (select(Inbox.id).where(or_(*(col(Inbox.state) == s for s in _WORK)),
                                  col(Inbox.due_at) <= bindparam("now"),
                                  or_(*(col(Inbox.channel) == c for c in channels)))
           .order_by(col(Inbox.id)).limit(bindparam("limit")))
    if postgresql:
        due = due.with_for_update(skip_locked=True)
    return Prepared(update(Inbox).where(col(Inbox.id).in_(due.scalar_subquery()))
                    .values(due_at=bindparam("until"), attempts=col(Inbox.attempts) + 1)
                    .returning(*_FIELDS))


_CLAIM_ONE = Prepared(update(Inbox).where(col(Inbox.id) == bindparam("row_id"),
                                          col(Inbox.state) == InboxState.PENDING)
                      .values(due_at=bindparam("until")).returning(*_FIELDS))


def claim(session: Session, *, now: datetime, limit: int = 256, channels: list[str],
          lease: timedelta = LEASE) -> list[Claimed]:
    """Rows to work on, oldest first, leased to this process: pending ones to handle and
    handled ones whose answers were not confirmed sent within their lease."""
    if not channels:
        return []
    statement = _claim(session.get_bind().dialect.name == "postgresql", tuple(channels))
    found = statement.execute(session, {"now": now, "limit": limit, "until": now + lease})
    return sorted((Claimed(*row) for row in found), key=lambda r: r.id)


def claim_one(session: Session, *, inbox_id: int, now: datetime,
              lease: timedelta = LEASE) -> Claimed | None:
    """One pending row by id (to handle it on its own after its wave failed)."""
    rows = _CLAIM_ONE.execute(session, {"row_id": inbox_id, "until": now + lease})
    return Claimed(*rows[0]) if rows else None


_HANDLED = Prepared(update(Inbox).where(col(Inbox.id) == bindparam("row_id"))
                    .values(state=bindparam("new_state"), answers=bindparam("new_answers"),
                            last_error=""))
_ANSWERED = Prepared(update(Inbox).where(col(Inbox.id) == bindparam("row_id"))
                     .values(state=InboxState.ANSWERED, answers=[]))


def mark_handled(session: Session, *, inbox_id: int, answers: list[dict[str, Any]],
                 state: InboxState = InboxState.HANDLED) -> None:
    _HANDLED.execute(session, {"row_id": inbox_id, "new_state": state,
                               "new_answers": answers})


def mark_all_handled(session: Session, answers: dict[int, list[dict[str, Any]]]) -> None:
    """`mark_handled` for many rows in one call."""
    _HANDLED.execute_many(session, [{"row_id": k, "new_state": InboxState.HANDLED,
                                     "new_answers": v} for k, v in answers.items()])


def mark_answered(session: Session, *, inbox_ids: list[int]) -> None:
    _ANSWERED.execute_many(session, [{"row_id": i} for i in inbox_ids])


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
