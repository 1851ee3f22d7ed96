"""The running service's clockwork: APScheduler ticks plan reminders at the send time on
working days and drain the outbox through the transports. The database work runs on a
worker thread: the event loop only moves messages."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import Engine

from bot.sender import DrainResult, Sender
from bot.transports.base import Transport
from handlers.config import Config
from handlers.reminders.queue import plan_and_queue
from handlers.workdays import is_workday
from storage.db import session_scope
from storage.leader import Leadership

log = logging.getLogger(__name__)


class Service:
    def __init__(self, engine: Engine, transports: dict[str, Transport], config: Config
                 ) -> None:
        self.engine = engine
        self.clock: Callable[[], datetime] = config.now
        self.rules = config.rules
        self.send_time = config.send_time
        self.sender = Sender(engine, transports, self.clock)
        self.leadership = Leadership(engine)
        self.scheduler: AsyncIOScheduler | None = None

    def plan(self) -> int:
        """Queue today's digests if it is a working day past the send time (idempotent)."""
        now = self.clock()
        if not is_workday(now.date()) or now.time() < self.send_time:
            return 0
        if not self.leadership.held():
            return 0  # another process plans; this one only sends
        with session_scope(self.engine) as session:
            return plan_and_queue(session, now, self.rules)

    async def tick(self) -> DrainResult:
        try:
            queued = await asyncio.to_thread(self.plan)
            if queued:
                log.info("queued %d reminder digests", queued)
        except Exception:  # a bad tick must not stop the service; the next one retries
            log.exception("planning reminders failed")
        try:
            return await self.sender.drain()
        except Exception:  # the database busy or gone: the next tick sends
            log.warning("sending the outbox failed; the next tick tries again", exc_info=True)
            return DrainResult()

    def start(self, every_seconds: int = 30) -> AsyncIOScheduler:
        """Schedule ticks on the running event loop (misfires are run late, not dropped)."""
        scheduler = AsyncIOScheduler()
        scheduler.add_job(self.tick, "interval", seconds=every_seconds, coalesce=True,
                          max_instances=1, misfire_grace_time=None,
                          next_run_time=datetime.now())
        scheduler.start()
        self.scheduler = scheduler
        return scheduler

    def stop(self) -> None:
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.leadership.release()
