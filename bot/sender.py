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
        self.concurrency = concurrency

    async def drain(self, batch: int | None = None, max_rows: int | None = None
                    ) -> DrainResult:
        """Send everything due now; returns when nothing due is left (or max_rows).

        Rows are claimed a wave at a time (as many as may be in flight), sent concurrently,
        and the wave's outcomes written in one transaction: a crash resends at most the
        wave that was in flight."""
        result = DrainResult()
        wave = batch or self.concurrency
        while max_rows is None or result.sent + result.retried + result.failed < max_rows:
            with session_scope(self.engine) as session:
                rows = claim(session, now=self.clock(), limit=wave,
                             channels=list(self.transports), lease=self.lease)
            if not rows:
                break
            outcomes = await asyncio.gather(*(self._send(row) for row in rows))
            with session_scope(self.engine) as session:
                for fn, field, kwargs in outcomes:
                    fn(session, **kwargs)
                    setattr(result, field, getattr(result, field) + 1)
        return result

    async def _send(self, row: Outbox) -> tuple[Callable[..., None], str, dict[str, object]]:
        """Send one row; returns how to record the outcome."""
        transport = self.transports[row.channel]
        await self.limiters[row.channel].wait(row.chat_id)
        try:
            message_id = await transport.send(row.chat_id, outgoing(row, transport))
        except Undeliverable as err:
            return mark_failed, "failed", {"outbox_id": row.id or 0, "error": str(err)}
        except (TimeoutError, RetryLater, OSError) as err:
            retry_after = getattr(err, "retry_after", None)
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
