"""The way in: store every update, then handle it, then answer it — each step durable.

    transport ──receive()──▶ inbox row (stored, idempotent by update id) ──▶ platform ack
    worker: mark the last wave's rows answered, claim rows ─▶ core.handle_in + answers
            stored, one transaction ─▶ answers sent, each chat's in order, while the next
            wave is handled; marked answered by the next wave (or alone after LINGER idle)

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
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
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
    stored_form,
)
from handlers import texts
from handlers.core import Core
from handlers.messages import Button, Outgoing
from handlers.web_links import file_url
from storage.db import session_scope
from storage.inbox import (
    LEASE,
    Claimed,
    NewUpdate,
    claim,
    claim_one,
    mark_all_handled,
    mark_answered,
    mark_handled,
    mark_retry,
    store,
)
from storage.models import InboxState

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3  # a message that fails this often (a bug, not a busy database): apology
LINGER = 0.05  # s: answers sent are marked with the next wave, or alone after this long idle
MAX_SENDING = 1024  # chats with answers on their way before the next wave waits for them


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
        # sent, to be marked in the next wave's transaction (one commit less per wave)
        self._sent: list[int] = []
        self._unsent: list[int] = []
        self._marks_lock = threading.Lock()
        # answers on their way, per chat: a chat's answers go out in order, while the next
        # wave is handled (a slow send holds up its own chat, not everyone's)
        self._tails: dict[tuple[str, str], asyncio.Task[None]] = {}
        self._sending: set[asyncio.Task[None]] = set()
        self._on_the_way: set[int] = set()  # inbox ids: a claim after their lease skips them

    # -- in: store first ----------------------------------------------------------------

    async def receive(self, channel: str, items: list[Received]) -> None:
        """Returns once the updates are stored (group commit with whatever else arrived
        meanwhile); raises if the database would not take them."""
        if not items:
            return
        await self._stored.add([NewUpdate(channel, r.update_id, stored_form(r.message), r.context)
                                for r in items])
        self._wake.set()

    def _store(self, updates: list[NewUpdate]) -> None:
        with session_scope(self.engine) as session:
            store(session, updates, now=self.clock())

    # -- the worker -----------------------------------------------------------------------

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self.run())

    async def stop(self, grace: float = 10.0) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._sending:  # answers on their way: let them finish (each send has a timeout)
            await asyncio.wait(set(self._sending), timeout=grace)
        try:  # what was sent is recorded as sent, or it would go out again after the lease
            await asyncio.get_running_loop().run_in_executor(self._core_thread,
                                                             self._flush_marks)
        except Exception as err:
            log.warning("inbox: answers sent but not recorded (%s); they may go out again",
                        type(err).__name__)
        self._store_thread.shutdown(wait=False, cancel_futures=True)
        self._core_thread.shutdown(wait=False, cancel_futures=True)

    async def run(self, idle: float = 1.0) -> None:
        while True:
            self._wake.clear()  # whatever is stored from now on wakes the next wave
            try:
                done = await self.process(wait=False)
            except asyncio.CancelledError:
                raise
            except Exception as err:  # the worker must outlive any failure
                if busy(err):
                    log.warning("inbox: database busy (%s); trying again", type(err).__name__)
                else:
                    log.exception("inbox: unexpected failure; trying again")
                await asyncio.sleep(idle)
                continue
            if len(self._sending) >= MAX_SENDING:  # the channel is slower than the inbox
                await asyncio.wait(set(self._sending), return_when=asyncio.FIRST_COMPLETED)
            if done < self.wave and not self._wake.is_set():  # no more for now: the
                # answers sent are marked by the next wave, or after a short linger
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), min(idle, LINGER) if (
                        self._sent or self._unsent or self._sending) else idle)

    async def process(self, wait: bool = True) -> int:
        """Handle one wave of stored updates and send its answers; returns how many rows it
        took. *wait*: return once the answers are sent (else once they are on their way,
        each chat's in order)."""
        loop = asyncio.get_running_loop()
        work = await loop.run_in_executor(self._core_thread, self._handle_wave)
        if not work:
            return 0
        chats: dict[tuple[str, str], list[Work]] = defaultdict(list)
        for item in work:
            if item[0] not in self._on_the_way:  # still behind its chat's slow sends: the
                # lease ran out, this process has it on its way already
                chats[(item[1], item[2].message.chat_id)].append(item)
        sends = [self._after_earlier(chat, items) for chat, items in chats.items()]
        if wait:
            await asyncio.gather(*sends)
        return len(work)

    def _after_earlier(self, chat: tuple[str, str], items: list[Work]) -> asyncio.Task[None]:
        """Send *items* once the chat's earlier answers are out; record the outcome for the
        next wave to mark."""
        earlier = self._tails.get(chat)
        ids = {item[0] for item in items}
        self._on_the_way |= ids

        async def send() -> None:
            if earlier is not None:
                await asyncio.wait([earlier])  # its outcome is its own
            done, later = await self._answer_chat(items)
            with self._marks_lock:  # recorded by the next wave, before it claims anything
                self._sent += done
                self._unsent += later
            self.answered += len(done)

        task = asyncio.get_running_loop().create_task(send())
        self._tails[chat] = task
        self._sending.add(task)

        def finished(t: asyncio.Task[None]) -> None:
            self._sending.discard(t)
            self._on_the_way -= ids
            if self._tails.get(chat) is t:
                del self._tails[chat]
        task.add_done_callback(finished)
        return task

    def _handle_wave(self) -> list[Work]:
        """Mark what the last wave sent, then claim, handle and store the answers, in one
        transaction (the happy path)."""
        now = self.clock()
        channels = list(self.transports)
        try:
            with self._marking() as mark, session_scope(self.engine) as session:
                mark(session)
                rows = claim(session, now=now, limit=self.wave, channels=channels,
                             lease=self.lease)
                todo = [r for r in rows if r.state == InboxState.PENDING]
                answers = self.core.handle_in(session, [incoming_from(r.message)
                                                        for r in todo])
                for row, out in zip(todo, answers, strict=True):
                    row.answers = [dump(self._carried(session, row.channel, o)) for o in out]
                mark_all_handled(session, {row.id: row.answers for row in todo})
            return [self._work(r) for r in rows]
        except Exception as err:
            if busy(err):
                raise
            self.core.forget()
            log.warning("inbox: a wave failed (%s); handling its messages one by one",
                        type(err).__name__)
        with self._marking() as mark, session_scope(self.engine) as session:
            mark(session)  # count the attempt, then one by one
            rows = claim(session, now=now, limit=self.wave, channels=channels,
                         lease=self.lease)
        return [w for row in rows for w in self._handle_one(row, now)]

    def _handle_one(self, row: Claimed, now: datetime) -> list[Work]:
        if row.state != InboxState.PENDING:
            return [self._work(row)]
        try:
            with session_scope(self.engine) as session:
                if claim_one(session, inbox_id=row.id, now=now, lease=self.lease) is None:
                    return []
                out = self.core.handle_in(session, [incoming_from(row.message)])[0]
                row.answers = [dump(self._carried(session, row.channel, o)) for o in out]
                mark_handled(session, inbox_id=row.id, answers=row.answers)
            return [self._work(row)]
        except Exception as err:
            self.core.forget()
            with session_scope(self.engine) as session:
                if busy(err):
                    mark_retry(session, inbox_id=row.id, error=type(err).__name__,
                               at=now + timedelta(seconds=1), count=False)
                    return []
                log.exception("inbox: message %s of %s failed (attempt %d)", row.update_id,
                              row.channel, row.attempts)
                if row.attempts < MAX_ATTEMPTS:
                    mark_retry(session, inbox_id=row.id, error=type(err).__name__,
                               at=now + timedelta(seconds=2 ** row.attempts))
                    return []
                row.answers = [dump(Outgoing(texts.FAILED))]
                mark_handled(session, inbox_id=row.id, answers=row.answers)
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
    def _work(row: Claimed) -> Work:
        received = Received(row.update_id, incoming_from(row.message), dict(row.context))
        return row.id, row.channel, received, [load(a) for a in row.answers]

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

    @contextlib.contextmanager
    def _marking(self) -> Iterator[Callable[[Session], None]]:
        """Takes the sends to record; they are given back unless the transaction that
        records them commits (a claim in it then cannot take a sent row again)."""
        with self._marks_lock:
            sent, unsent, self._sent, self._unsent = self._sent, self._unsent, [], []

        def mark(session: Session) -> None:
            mark_answered(session, inbox_ids=sent)
            at = self.clock() + timedelta(seconds=5)
            for inbox_id in unsent:
                mark_retry(session, inbox_id=inbox_id, error="send", at=at)
        try:
            yield mark
        except BaseException:
            with self._marks_lock:
                self._sent, self._unsent = sent + self._sent, unsent + self._unsent
            raise

    def _flush_marks(self) -> None:
        with self._marking() as mark, session_scope(self.engine) as session:
            mark(session)
