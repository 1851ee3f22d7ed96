"""Draining the outbox through the transports: rate-limited, retried with backoff, and
each outcome written as soon as it is known, group-committed with the others finishing at
the same moment (a crash resends only the messages on the wire, once their lease —
seconds — runs out).

The database is only ever touched on a worker thread, so a locked database delays the
outbox but never the event loop. A 429 pauses every send to that channel, in this process
at once and in every other through the database; so does a hung server (a timeout).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from bot.batcher import GroupCommit
from bot.inbox import for_channel
from bot.ratelimit import RateLimiter
from bot.transports.base import RetryLater, Transport, Undeliverable
from handlers.messages import Button, Outgoing
from storage.db import session_scope
from storage.models import Outbox
from storage.outbox import (
    LEASE,
    claim,
    mark_failed,
    mark_retry,
    mark_sent,
    pause_channel,
    paused_until,
)

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10
SEND_TIMEOUT = 11.0  # a transport's request timeout (10 s) and a margin
HUNG_PAUSE = 5.0  # seconds without sends to a channel after a timeout
LONGEST_WAIT = 60.0  # drain waits out a pause this long at most, then returns

Outcome = tuple[Callable[..., None], str, dict[str, Any]]


@dataclass
class DrainResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def backoff(attempts: int, retry_after: float | None) -> timedelta:
    if retry_after is not None:
        return timedelta(seconds=max(retry_after, 1.0))
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def outgoing(row: Outbox, transport: Transport) -> Outgoing:
    buttons = tuple(tuple(Button(label, data) for label, data in r) for r in row.buttons)
    return for_channel(Outgoing(row.text, buttons=buttons), transport.limits)


class Sender:
    def __init__(self, engine: Engine, transports: dict[str, Transport],
                 clock: Callable[[], datetime], concurrency: int = 16,
                 lease: timedelta = LEASE, wait_for_pause: float = LONGEST_WAIT) -> None:
        """*wait_for_pause*: how long `drain` waits out a paused channel before returning."""
        self.lease = lease
        self.wait_for_pause = wait_for_pause
        self.engine = engine
        self.transports = transports
        self.clock = clock
        self.limiters = {name: RateLimiter(t.limits.rate, t.limits.per_chat_interval)
                         for name, t in transports.items()}
        self.concurrency = concurrency
        self.rate_limited = 0  # 429s seen (for the reliability figures)
        self._recorder = GroupCommit(self._record, ThreadPoolExecutor(
            1, thread_name_prefix="nhacviec-outbox"))

    async def drain(self, batch: int | None = None, max_rows: int | None = None
                    ) -> DrainResult:
        """Send everything due now; returns when nothing due is left (or max_rows)."""
        result = DrainResult()
        wave = batch or self.concurrency
        waited = 0.0
        while max_rows is None or result.sent + result.retried + result.failed < max_rows:
            rows, pause = await asyncio.to_thread(self._claim, wave)
            if not rows:
                if pause <= 0 or waited >= self.wait_for_pause:
                    break
                await asyncio.sleep(min(pause, 5.0))  # a channel is paused: wait it out
                waited += min(pause, 5.0)
                continue
            for channel in {row.channel for row in rows}:
                self.limiters[channel].resume()  # claimed: its shared pause has ended
            lease = self.lease.total_seconds()
            deadline = time.monotonic() + max(lease - SEND_TIMEOUT, lease / 2)
            outcomes = await asyncio.gather(*(self._send_and_record(row, deadline)
                                              for row in rows))
            for _, field, _ in outcomes:
                setattr(result, field, getattr(result, field) + 1)
        return result

    def _claim(self, wave: int) -> tuple[list[Outbox], float]:
        """Rows of the channels not paused, and how long the nearest pause still lasts."""
        now = self.clock()
        with session_scope(self.engine) as session:
            pauses = paused_until(session, channels=list(self.transports))
            ready = [c for c in self.transports if pauses.get(c, now) <= now]
            rows = claim(session, now=now, limit=wave, channels=ready, lease=self.lease) \
                if ready else []
        left = [(until - now).total_seconds() for until in pauses.values() if until > now]
        return rows, min(left, default=0.0)

    async def _send_and_record(self, row: Outbox, deadline: float) -> Outcome:
        """Each outcome is written as soon as it is known (group-committed with the others
        that finish meanwhile): a crash resends only what was on the wire."""
        outcome = await self._send(row, deadline)
        while True:
            try:
                await self._recorder.add([outcome])
                return outcome
            except Exception:  # the database busy: a sent message must be recorded
                log.warning("outbox outcome not recorded yet; trying again")
                await asyncio.sleep(0.5)

    def _record(self, outcomes: list[Outcome]) -> None:
        with session_scope(self.engine) as session:
            for fn, _, kwargs in outcomes:
                fn(session, **kwargs)

    def _pause(self, channel: str, seconds: float) -> None:
        """Every send to *channel* waits *seconds* in the other processes too (the DB)."""
        with session_scope(self.engine) as session:
            pause_channel(session, channel=channel,
                          until=self.clock() + timedelta(seconds=seconds))

    async def _send(self, row: Outbox, deadline: float) -> Outcome:
        """Send one row; returns how to record the outcome. A row whose turn comes too late
        to finish within its lease is not sent (another sender may have it by then)."""
        transport = self.transports[row.channel]
        limiter = self.limiters[row.channel]
        if not await limiter.wait(row.chat_id, deadline):  # paused, or too late for its lease
            at = self.clock() + timedelta(seconds=limiter.pause_left())
            return mark_retry, "retried", {"outbox_id": row.id or 0, "error": "lease",
                                           "at": at}
        try:
            message_id = await transport.send(row.chat_id, outgoing(row, transport))
        except Undeliverable as err:
            return mark_failed, "failed", {"outbox_id": row.id or 0, "error": str(err)}
        except (TimeoutError, RetryLater, OSError) as err:
            retry_after = getattr(err, "retry_after", None)
            pause = retry_after if retry_after is not None else (
                HUNG_PAUSE if isinstance(err, TimeoutError) or getattr(err, "timeout", False)
                else None)
            if retry_after is not None:
                self.rate_limited += 1
            if pause is not None:
                limiter.pause(pause)  # here at once: the sends not yet started are held
                await asyncio.to_thread(self._pause, row.channel, pause)
            if row.attempts >= MAX_ATTEMPTS:
                return mark_failed, "failed", {
                    "outbox_id": row.id or 0, "error": f"{err} (sau {row.attempts} lần thử)"}
            at = self.clock() + backoff(row.attempts, retry_after)
            return mark_retry, "retried", {"outbox_id": row.id or 0, "error": str(err),
                                           "at": at}
        except Exception as err:  # a bug in a transport must not stop the others
            log.exception("transport %s failed on outbox row %s", row.channel, row.id)
            at = self.clock() + backoff(row.attempts, None)
            return mark_retry, "retried", {"outbox_id": row.id or 0,
                                           "error": type(err).__name__, "at": at}
        return mark_sent, "sent", {"outbox_id": row.id or 0, "message_id": message_id,
                                   "now": self.clock()}
