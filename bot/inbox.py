"""The way in: store every update, then handle it, then answer it — each step durable.

    transport ──receive()──▶ inbox row (stored, idempotent by update id) ──▶ platform ack
    worker: claim rows ─▶ core.handle_in + answers stored, one transaction ─▶ answers sent
            ─▶ rows marked answered

The event loop never waits on the database: storing and handling run on worker threads
(the core's caches live on its own), so polling, webhooks and sends go on while the
database is locked; what arrived meanwhile is handled once it is free. On PostgreSQL
storing runs beside handling; SQLite takes one writer at a time, so there both share the
core's thread (a writer that found the lock taken would sleep in steps of up to 100 ms).
A message whose handling fails is retried; a busy database is not the message's fault and
never counts as an attempt; only a message that keeps failing gets the apology.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

from bot.batcher import GroupCommit
from bot.transports.base import (
    Limits,
    Received,
    RetryLater,
    Transport,
    Undeliverable,
    fit,
    incoming_from,
)
from handlers import texts
from handlers.core import Core
from handlers.messages import Button, Outgoing
from handlers.web_links import file_url
from storage.db import session_scope
from storage.inbox import (
    LEASE,
    NewUpdate,
    claim,
    claim_one,
    mark_all_handled,
    mark_answered,
    mark_handled,
    mark_retry,
    store,
)
from storage.models import Inbox as InboxRow
from storage.models import InboxState

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3  # a message that fails this often (a bug, not a busy database): apology


def busy(err: BaseException) -> bool:
    """The database was locked or unreachable: nobody's fault, try again."""
    return isinstance(err, OperationalError) or (
        isinstance(err, DBAPIError) and bool(err.connection_invalidated))


def dump(message: Outgoing) -> dict[str, Any]:
    return {"text": message.text, "file": str(message.file) if message.file else "",
            "buttons": [[[b.label, b.data, b.url] for b in row] for row in message.buttons],
            "chat_id": message.chat_id, "channel": message.channel, "edit": message.edit}


def load(data: dict[str, Any]) -> Outgoing:
    return Outgoing(str(data.get("text", "")),
                    buttons=tuple(tuple(Button(*b) for b in row)
                                  for row in data.get("buttons", [])),
                    file=Path(data["file"]) if data.get("file") else None,
                    chat_id=str(data.get("chat_id", "")), channel=str(data.get("channel", "")),
                    edit=str(data.get("edit", "")))


def for_channel(message: Outgoing, limits: Limits) -> Outgoing:
    """What the channel can carry, worded by handlers/ where something had to go."""
    if message.file is not None and not limits.files:
        message = Outgoing(texts.with_no_files(message.text), buttons=message.buttons,
                           chat_id=message.chat_id, channel=message.channel)
    return fit(message, limits)


def utcnow() -> datetime:
    return datetime.now(UTC)


Work = tuple[int, str, Received, list[Outgoing]]  # inbox id, channel, update, answers


class Inbox:
    def __init__(self, engine: Engine, core: Core, transports: dict[str, Transport], *,
                 lease: timedelta = LEASE, wave: int = 256,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.engine, self.core, self.transports = engine, core, transports
        self.lease, self.wave, self.clock = lease, wave, clock
        self._core_thread = ThreadPoolExecutor(1, thread_name_prefix="nhacviec-core")
        # SQLite: one writer at a time, so storing waits for the wave on its thread
        self._store_thread = self._core_thread if engine.dialect.name == "sqlite" else \
            ThreadPoolExecutor(1, thread_name_prefix="nhacviec-inbox")
        self._stored = GroupCommit(self._store, self._store_thread)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.answered = 0

    # -- in: store first ----------------------------------------------------------------

    async def receive(self, channel: str, items: list[Received]) -> None:
        """Returns once the updates are stored (group commit with whatever else arrived
        meanwhile); raises if the database would not take them."""
        if not items:
            return
        await self._stored.add([NewUpdate(channel, r.update_id, asdict(r.message), r.context)
                                for r in items])
        self._wake.set()

    def _store(self, updates: list[NewUpdate]) -> None:
        with session_scope(self.engine) as session:
            store(session, updates, now=self.clock())

    # -- the worker -----------------------------------------------------------------------

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self.run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._store_thread.shutdown(wait=False, cancel_futures=True)
        self._core_thread.shutdown(wait=False, cancel_futures=True)

    async def run(self, idle: float = 1.0) -> None:
        while True:
            try:
                done = await self.process()
            except asyncio.CancelledError:
                raise
            except Exception as err:  # the worker must outlive any failure
                if busy(err):
                    log.warning("inbox: database busy (%s); trying again", type(err).__name__)
                else:
                    log.exception("inbox: unexpected failure; trying again")
                await asyncio.sleep(idle)
                continue
            if not done:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), idle)

    async def process(self) -> int:
        """Handle and answer one wave of stored updates; returns how many rows it took."""
        loop = asyncio.get_running_loop()
        work = await loop.run_in_executor(self._core_thread, self._handle_wave)
        if not work:
            return 0
        chats: dict[tuple[str, str], list[Work]] = defaultdict(list)
        for item in work:
            chats[(item[1], item[2].message.chat_id)].append(item)
        outcomes = await asyncio.gather(*(self._answer_chat(items) for items in chats.values()))
        answered = [i for done, _ in outcomes for i in done]
        retry = [i for _, later in outcomes for i in later]
        while True:  # sent is sent: keep trying to record it, or it would go out again
            try:
                await loop.run_in_executor(self._store_thread, self._mark, answered, retry)
                break
            except Exception as err:
                if not busy(err):
                    raise
                await asyncio.sleep(0.5)
        self.answered += len(answered)
        return len(work)

    def _handle_wave(self) -> list[Work]:
        """Claim, handle and store the answers in one transaction (the happy path)."""
        now = self.clock()
        channels = list(self.transports)
        try:
            with session_scope(self.engine) as session:
                rows = claim(session, now=now, limit=self.wave, channels=channels,
                             lease=self.lease)
                todo = [r for r in rows if r.state == InboxState.PENDING]
                answers = self.core.handle_in(session, [incoming_from(r.message)
                                                        for r in todo])
                for row, out in zip(todo, answers, strict=True):
                    row.answers = [dump(self._carried(session, row.channel, o)) for o in out]
                mark_all_handled(session, {row.id or 0: row.answers for row in todo})
            return [self._work(r) for r in rows]
        except Exception as err:
            if busy(err):
                raise
            self.core.forget()
            log.warning("inbox: a wave failed (%s); handling its messages one by one",
                        type(err).__name__)
        with session_scope(self.engine) as session:  # count the attempt, then one by one
            rows = claim(session, now=now, limit=self.wave, channels=channels,
                         lease=self.lease)
        return [w for row in rows for w in self._handle_one(row, now)]

    def _handle_one(self, row: InboxRow, now: datetime) -> list[Work]:
        if row.state != InboxState.PENDING:
            return [self._work(row)]
        try:
            with session_scope(self.engine) as session:
                if claim_one(session, inbox_id=row.id or 0, now=now, lease=self.lease) is None:
                    return []
                out = self.core.handle_in(session, [incoming_from(row.message)])[0]
                row.answers = [dump(self._carried(session, row.channel, o)) for o in out]
                mark_handled(session, inbox_id=row.id or 0, answers=row.answers)
            return [self._work(row)]
        except Exception as err:
            self.core.forget()
            with session_scope(self.engine) as session:
                if busy(err):
                    mark_retry(session, inbox_id=row.id or 0, error=type(err).__name__,
                               at=now + timedelta(seconds=1), count=False)
                    return []
                log.exception("inbox: message %s of %s failed (attempt %d)", row.update_id,
                              row.channel, row.attempts)
                if row.attempts < MAX_ATTEMPTS:
                    mark_retry(session, inbox_id=row.id or 0, error=type(err).__name__,
                               at=now + timedelta(seconds=2 ** row.attempts))
                    return []
                row.answers = [dump(Outgoing(texts.FAILED))]
                mark_handled(session, inbox_id=row.id or 0, answers=row.answers)
            return [self._work(row)]

    def _carried(self, session: Session, channel: str, message: Outgoing) -> Outgoing:
        """A file for a channel that cannot send files goes as a signed link to it, when the
        web view is on (otherwise `for_channel` says how to get it)."""
        config = self.core.config
        transport = self.transports.get(channel)
        if message.file is None or not config.web_url or transport is None \
                or transport.limits.files:
            return message
        url = file_url(session, config, message.file.name, config.now())
        return Outgoing(texts.with_file_link(message.text, url), buttons=message.buttons,
                        chat_id=message.chat_id, channel=message.channel, edit=message.edit)

    @staticmethod
    def _work(row: InboxRow) -> Work:
        received = Received(row.update_id, incoming_from(row.message), dict(row.context))
        return row.id or 0, row.channel, received, [load(a) for a in row.answers]

    async def _answer_chat(self, items: list[Work]) -> tuple[list[int], list[int]]:
        """Answers in one chat, in order; (answered ids, ids to try again later)."""
        done: list[int] = []
        later: list[int] = []
        for inbox_id, channel, received, answers in items:
            transport = self.transports[channel]
            try:
                await transport.answer(received, [for_channel(a, transport.limits)
                                                  for a in answers])
                done.append(inbox_id)
            except Undeliverable as err:
                log.info("answer to %s not deliverable: %s", channel, err.reason.value)
                done.append(inbox_id)
            except (RetryLater, TimeoutError, OSError) as err:
                log.warning("answer on %s not sent yet: %s", channel, type(err).__name__)
                later.append(inbox_id)
            except Exception:  # a bug in a transport: try again once the lease ends
                log.exception("answer on %s failed", channel)
                later.append(inbox_id)
        return done, later

    def _mark(self, answered: list[int], retry: list[int]) -> None:
        with session_scope(self.engine) as session:
            mark_answered(session, inbox_ids=answered)
            at = self.clock() + timedelta(seconds=5)
            for inbox_id in retry:
                mark_retry(session, inbox_id=inbox_id, error="send", at=at)
