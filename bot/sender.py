"""Draining the outbox through the transports: rate-limited, retried with backoff, and
each outcome written in its own short transaction (a crash loses at most the message in
flight, which is then sent again once its lease runs out)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine

from bot.ratelimit import RateLimiter
from bot.transports.base import RetryLater, Transport, Undeliverable
from handlers.messages import Button, Outgoing
from storage.db import session_scope
from storage.models import Outbox
from storage.outbox import LEASE, claim, mark_failed, mark_retry, mark_sent

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10


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
    buttons: tuple[tuple[Button, ...], ...] = ()
    if transport.has_buttons:
        buttons = tuple(tuple(Button(label, data) for label, data in r) for r in row.buttons)
    return Outgoing(row.text, buttons=buttons)


class Sender:
    def __init__(self, engine: Engine, transports: dict[str, Transport],
                 clock: Callable[[], datetime], concurrency: int = 16,
                 lease: timedelta = LEASE) -> None:
        self.lease = lease
        self.engine = engine
        self.transports = transports
        self.clock = clock
        self.limiters = {name: RateLimiter(t.rate, t.per_chat_interval)
                         for name, t in transports.items()}
        self.semaphore = asyncio.Semaphore(concurrency)

    async def drain(self, batch: int = 200, max_rows: int | None = None) -> DrainResult:
        """Send everything due now; returns when nothing due is left (or max_rows)."""
        result = DrainResult()
        while max_rows is None or result.sent + result.retried + result.failed < max_rows:
            with session_scope(self.engine) as session:
                rows = claim(session, now=self.clock(), limit=batch,
                             channels=list(self.transports), lease=self.lease)
            if not rows:
                break
            await asyncio.gather(*(self._send(row, result) for row in rows))
        return result

    async def _send(self, row: Outbox, result: DrainResult) -> None:
        transport = self.transports[row.channel]
        async with self.semaphore:
            await self.limiters[row.channel].wait(row.chat_id)
            try:
                message_id = await transport.send(row.chat_id, outgoing(row, transport))
            except Undeliverable as err:
                self._record(mark_failed, result, "failed", outbox_id=row.id or 0,
                             error=str(err))
                return
            except (TimeoutError, RetryLater, OSError) as err:
                retry_after = getattr(err, "retry_after", None)
                if row.attempts >= MAX_ATTEMPTS:
                    self._record(mark_failed, result, "failed", outbox_id=row.id or 0,
                                 error=f"{err} (sau {row.attempts} lần thử)")
                else:
                    at = self.clock() + backoff(row.attempts, retry_after)
                    self._record(mark_retry, result, "retried", outbox_id=row.id or 0,
                                 error=str(err), at=at)
                return
            except Exception as err:  # a bug in a transport must not stop the others
                log.exception("transport %s failed on outbox row %s", row.channel, row.id)
                at = self.clock() + backoff(row.attempts, None)
                self._record(mark_retry, result, "retried", outbox_id=row.id or 0,
                             error=type(err).__name__, at=at)
                return
            self._record(mark_sent, result, "sent", outbox_id=row.id or 0,
                         message_id=message_id, now=self.clock())

    def _record(self, fn: Callable[..., None], result: DrainResult, field: str,
                **kwargs: object) -> None:
        with session_scope(self.engine) as session:
            fn(session, **kwargs)
        setattr(result, field, getattr(result, field) + 1)
