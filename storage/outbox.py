"""The outbox: every pushed message is a row before it is sent, keyed so it is queued once.

Rows move pending → sent, or pending → (retry later) → … → failed. A claim pushes
`send_after` a lease into the future, so a sender that dies mid-send leaves its rows to be
retried after the lease — at most the wave that was in flight can go out twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from storage.models import Meta, Outbox, OutboxState, utcnow

LEASE = timedelta(seconds=30)  # > one wave of sends (10 s timeouts): a dead sender costs seconds


@dataclass(frozen=True)
class NewMessage:
    key: str
    kind: str
    contact_id: int
    channel: str
    chat_id: str
    text: str
    items: list[str] = field(default_factory=list)
    buttons: list[list[list[str]]] = field(default_factory=list)  # rows of [label, data]
    send_after: datetime | None = None


def queue(session: Session, messages: list[NewMessage], now: datetime | None = None) -> int:
    """Insert the messages whose key is new; returns how many were queued."""
    if not messages:
        return 0
    now = now or utcnow()
    keys = [m.key for m in messages]
    existing: set[str] = set()
    for chunk in range(0, len(keys), 500):
        existing.update(session.exec(select(Outbox.key).where(
            col(Outbox.key).in_(keys[chunk:chunk + 500]))))
    added = 0
    for m in messages:
        if m.key in existing:
            continue
        existing.add(m.key)
        session.add(Outbox(key=m.key, kind=m.kind, contact_id=m.contact_id, channel=m.channel,
                           chat_id=m.chat_id, text=m.text, items=list(m.items),
                           buttons=[list(r) for r in m.buttons], created_at=now,
                           send_after=m.send_after or now))
        added += 1
    session.flush()
    return added


def claim(session: Session, *, now: datetime, limit: int = 100,
          channels: list[str] | None = None, lease: timedelta = LEASE) -> list[Outbox]:
    """Pending rows due by *now*, oldest first, leased to this sender for *lease*.

    One UPDATE … WHERE id IN (SELECT … [FOR UPDATE SKIP LOCKED]) … RETURNING: atomic on
    SQLite, and on PostgreSQL several senders never claim the same row."""
    due = (select(Outbox.id).where(Outbox.state == OutboxState.PENDING,
                                   Outbox.send_after <= now)
           .order_by(col(Outbox.send_after), col(Outbox.id)).limit(limit))
    if channels is not None:
        due = due.where(col(Outbox.channel).in_(channels))
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    claimed = (update(Outbox).where(col(Outbox.id).in_(due.scalar_subquery()))
               .values(send_after=now + lease, attempts=Outbox.attempts + 1)
               .returning(Outbox))
    rows = list(session.execute(claimed, execution_options={"synchronize_session": False})
                .scalars())
    return sorted(rows, key=lambda r: (r.id or 0))


_SENT = (update(Outbox).where(col(Outbox.id) == bindparam("row_id"))
         .values(state=OutboxState.SENT, message_id=bindparam("message_id"),
                 sent_at=bindparam("now"), last_error=""))
_RETRY = (update(Outbox).where(col(Outbox.id) == bindparam("row_id"))
          .values(send_after=bindparam("at"), last_error=bindparam("error")))
_FAILED = (update(Outbox).where(col(Outbox.id) == bindparam("row_id"))
           .values(state=OutboxState.FAILED, last_error=bindparam("error")))
# built once: every message sent is recorded by one of them


def mark_sent(session: Session, *, outbox_id: int, message_id: str, now: datetime) -> None:
    session.connection().execute(_SENT, {"row_id": outbox_id, "message_id": message_id,
                                         "now": now})


def mark_retry(session: Session, *, outbox_id: int, error: str, at: datetime) -> None:
    session.connection().execute(_RETRY, {"row_id": outbox_id, "at": at,
                                          "error": error[:500]})


def mark_failed(session: Session, *, outbox_id: int, error: str) -> None:
    session.connection().execute(_FAILED, {"row_id": outbox_id, "error": error[:500]})


def failed(session: Session) -> list[Outbox]:
    return list(session.exec(select(Outbox).where(Outbox.state == OutboxState.FAILED)
                             .order_by(col(Outbox.id))))


def pending_count(session: Session) -> int:
    return len(list(session.exec(select(Outbox.id).where(
        Outbox.state == OutboxState.PENDING))))


def get_meta(session: Session, key: str) -> str | None:
    row = session.get(Meta, key)
    return row.value if row else None


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(Meta, key) or Meta(key=key, value=value)
    row.value = value
    session.add(row)
    session.flush()


def latest_to(session: Session, *, contact_id: int, kind: str) -> Outbox | None:
    return session.exec(select(Outbox).where(Outbox.contact_id == contact_id,
                                             Outbox.kind == kind)
                        .order_by(col(Outbox.id).desc())).first()


def rows_with_key_prefix(session: Session, prefix: str) -> list[Outbox]:
    return list(session.exec(select(Outbox).where(col(Outbox.key).startswith(prefix))
                             .order_by(col(Outbox.id))))


LAST_NOTICE = "notice.last"


def remember_notice(session: Session, *, key_prefix: str, body: str) -> None:
    """Note the latest notice: its text as staff wrote it, and the key its rows share."""
    set_meta(session, LAST_NOTICE, json.dumps({"key": key_prefix, "body": body},
                                              ensure_ascii=False))


def last_notice(session: Session) -> tuple[str, list[Outbox]] | None:
    """(the text staff wrote, its outbox rows) of the latest notice, if any."""
    stored = get_meta(session, LAST_NOTICE)
    if stored is None:
        return None
    notice = json.loads(stored)
    return str(notice["body"]), rows_with_key_prefix(session, str(notice["key"]))


def mark_read(session: Session, *, outbox_id: int, now: datetime) -> None:
    row = session.get(Outbox, outbox_id)
    if row is not None and row.read_at is None:
        row.read_at = now
        session.add(row)


def sent_since(session: Session, *, since: datetime) -> list[Outbox]:
    return list(session.exec(select(Outbox).where(Outbox.state == OutboxState.SENT,
                                                  col(Outbox.sent_at) >= since)
                             .order_by(col(Outbox.id))))


def outbox_by_message(session: Session, *, channel: str, chat_id: str, message_id: str
                      ) -> Outbox | None:
    """The pushed message a person replies to (by the channel's message id)."""
    return session.exec(select(Outbox).where(Outbox.channel == channel,
                                             Outbox.chat_id == chat_id,
                                             Outbox.message_id == message_id)).first()


PAUSE_KEY = "pause:"


def pause_channel(session: Session, *, channel: str, until: datetime) -> None:
    """No sends to *channel* before *until* (a 429's retry_after, a hung server), for every
    process sending through this database. A later pause is never shortened."""
    current = paused_until(session, channels=[channel]).get(channel)
    if current is None or until > current:
        set_meta(session, PAUSE_KEY + channel, until.isoformat())


def paused_until(session: Session, *, channels: list[str]) -> dict[str, datetime]:
    rows = session.exec(select(Meta).where(col(Meta.key).in_(
        [PAUSE_KEY + c for c in channels]))).all()
    return {row.key[len(PAUSE_KEY):]: datetime.fromisoformat(row.value) for row in rows}
