"""Which process plans reminders: on PostgreSQL the holder of an advisory lock (taken over
when its holder dies, since the lock lives with its connection); on SQLite every process
may plan (the outbox's unique keys keep the result the same)."""

from __future__ import annotations

import contextlib
import logging

from sqlalchemy import Connection, Engine, text

log = logging.getLogger(__name__)
LOCK_KEY = 0x6E6863_7669  # "nhcvi"


class Leadership:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None

    def held(self) -> bool:
        """True if this process is (or has just become) the planner."""
        if self.engine.dialect.name != "postgresql":
            return True
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT 1"))
                return True
            except Exception:  # the connection died: the lock went with it
                self.release()
        try:
            connection = self.engine.connect()
            got = connection.execute(text("SELECT pg_try_advisory_lock(:k)"),
                                     {"k": LOCK_KEY}).scalar()
            connection.commit()
        except Exception:
            log.warning("could not ask for the planner lock")
            return False
        if got:
            self._connection = connection
            log.info("this process now plans reminders")
            return True
        connection.close()
        return False

    def release(self) -> None:
        """Give the lock up (closing the connection for real, not into the pool)."""
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.execute(text("SELECT pg_advisory_unlock(:k)"),
                                         {"k": LOCK_KEY})
            with contextlib.suppress(Exception):
                self._connection.invalidate()
                self._connection.close()
            self._connection = None
