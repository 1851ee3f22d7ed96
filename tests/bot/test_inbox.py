"""The way in: every update stored before it is acknowledged, handled once, answered once;
a locked database delays answers but loses none, and never stops the event loop."""

import asyncio
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.inbox import MAX_ATTEMPTS, Inbox
from bot.settings import Settings
from bot.transports.memory import MemoryTransport
from handlers import texts
from handlers.core import Core
from handlers.messages import Incoming, Outgoing
from storage.db import make_engine, session_scope
from storage.inbox import LEASE, rows
from storage.models import InboxState
from tests.handlers.conftest import invite_code


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2024, 3, 20, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class Today:
    now = datetime.now(UTC)


TODAY = Today()


@pytest.fixture
async def service(loaded: Engine):  # noqa: ANN201
    core = Core(loaded, Settings.defaults().config())
    memory = MemoryTransport("telegram")
    inbox = Inbox(loaded, core, {"telegram": memory})
    inbox.start()
    await memory.start(inbox.receive)
    yield memory, inbox, core
    await inbox.stop()


async def test_an_update_delivered_twice_is_handled_and_answered_once(service,
                                                                      loaded: Engine) -> None:
    memory, _, _ = service
    await memory.push("p1", f"/start {invite_code(loaded, 'TH-CATBI', TODAY)}",
                      update_id="7")
    await memory.push("p1", "xong 1.1", update_id="8")
    await memory.push("p1", "xong 1.1", update_id="8")  # the platform sent it again
    answers = await memory.wait(2, "p1")
    await asyncio.sleep(0.3)
    assert len(memory.to("p1")) == 2 and "Kính chào" in answers[0].text
    with session_scope(loaded) as session:
        assert [(r.update_id, r.state) for r in rows(session)] == [
            ("7", InboxState.ANSWERED), ("8", InboxState.ANSWERED)]


async def test_a_locked_database_delays_answers_loses_none_and_never_blocks_the_loop(
        loaded: Engine, db_backend: str) -> None:
    if db_backend != "sqlite":
        pytest.skip("SQLite's write lock; PostgreSQL locks rows, not the database")
    engine = make_engine(str(loaded.url), busy_timeout=0.3)  # fail fast, retry often
    core = Core(engine, Settings.defaults().config())
    memory = MemoryTransport("telegram")
    inbox = Inbox(engine, core, {"telegram": memory})
    inbox.start()
    await memory.start(inbox.receive)
    await memory.push("p1", f"/start {invite_code(loaded, 'TH-CATBI', TODAY)}")
    await memory.wait(1, "p1")

    path = str(loaded.url).removeprefix("sqlite:///")
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:  # a long import, a backup, another process
        db = sqlite3.connect(path)
        db.execute("BEGIN IMMEDIATE")
        locked.set()
        release.wait()
        db.rollback()
        db.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    locked.wait()
    pushes = [asyncio.create_task(memory.push("p1", f"xong {c}")) for c in ("1.1", "1.2", "2.1")]
    ticks = 0
    start = time.monotonic()
    while time.monotonic() - start < 2.0:  # the loop keeps running meanwhile
        await asyncio.sleep(0.05)
        ticks += 1
    assert ticks >= 30 and len(memory.to("p1")) == 1
    release.set()
    holder.join()
    await asyncio.gather(*pushes)
    answers = await memory.wait(4, "p1", timeout=20)
    assert all(texts.FAILED not in a.text for a in answers)
    assert all("Đã ghi nhận" in a.text for a in answers[1:])  # real answers, none lost
    await inbox.stop()
    engine.dispose()


class Flaky(Core):
    """A core whose handling of "boom" fails *failures* times (a bug, not the database)."""

    def __init__(self, engine: Engine, failures: int) -> None:
        super().__init__(engine, Settings.defaults().config())
        self.failures = failures

    def handle_in(self, session: Session, messages: list[Incoming]) -> list[list[Outgoing]]:
        if any(m.text == "boom" for m in messages) and self.failures > 0:
            self.failures -= 1
            raise RuntimeError("a bug")
        return super().handle_in(session, messages)


@pytest.mark.parametrize("failures", [2, 100])
async def test_a_failing_message_is_retried_then_answered_or_apologised(
        loaded: Engine, failures: int) -> None:
    clock = Clock()
    memory = MemoryTransport("telegram")
    inbox = Inbox(loaded, Flaky(loaded, failures), {"telegram": memory}, clock=clock)
    await memory.start(inbox.receive)
    await memory.push("s1", "hello")
    await memory.push("s1", "boom")
    await memory.push("s1", "bye")
    for _ in range(MAX_ATTEMPTS + 2):
        await inbox.process()
        clock.now += timedelta(minutes=1)
    answers = [m.text for m in memory.to("s1")]
    assert len(answers) == 3  # one answer each, the others not held back by the bad one
    if failures < MAX_ATTEMPTS:
        assert texts.FAILED not in answers
    else:
        assert answers.count(texts.FAILED) == 1
    with session_scope(loaded) as session:
        assert {r.state for r in rows(session)} == {InboxState.ANSWERED}


async def test_answers_of_a_dead_process_are_sent_after_the_lease_once(loaded: Engine) -> None:
    clock = Clock()
    memory = MemoryTransport("telegram")
    dead = Inbox(loaded, Core(loaded, Settings.defaults().config()), {"telegram": memory},
                 clock=clock)
    await memory.start(dead.receive)
    await memory.push("s1", "hello")
    await asyncio.to_thread(dead._handle_wave)  # handled and committed, then the process dies
    assert memory.to("s1") == []
    heir = Inbox(loaded, Core(loaded, Settings.defaults().config()), {"telegram": memory},
                 clock=clock)
    assert await heir.process() == 0  # leased to the dead one
    clock.now += dead.lease + timedelta(seconds=1)
    assert await heir.process() == 1
    assert await heir.process() == 0
    assert len(memory.to("s1")) == 1


async def test_a_sent_answer_is_recorded_by_the_next_wave_or_at_stop(loaded: Engine) -> None:
    """One commit less per wave: what a wave sent is marked answered in the next wave's
    transaction; stopping the service records what is left, so nothing goes out twice."""
    memory = MemoryTransport("telegram")
    inbox = Inbox(loaded, Core(loaded, Settings.defaults().config()), {"telegram": memory})
    await memory.start(inbox.receive)

    def states() -> list[InboxState]:
        with session_scope(loaded) as session:
            return [r.state for r in rows(session)]

    await memory.push("s1", "hello")
    assert await inbox.process() == 1 and len(memory.to("s1")) == 1
    assert states() == [InboxState.HANDLED]  # sent; recorded with the next wave
    await memory.push("s1", "hello again")
    assert await inbox.process() == 1
    assert states() == [InboxState.ANSWERED, InboxState.HANDLED]
    await inbox.stop()
    assert states() == [InboxState.ANSWERED, InboxState.ANSWERED]
    assert len(memory.to("s1")) == 2


class SlowChat(MemoryTransport):
    """Sends to chat "slow" wait while the channel is held (a channel that answers slowly)."""

    def __init__(self) -> None:
        super().__init__("telegram")
        self.flowing = asyncio.Event()
        self.flowing.set()

    async def send(self, chat_id: str, message: Outgoing) -> str:
        if chat_id == "slow":
            await self.flowing.wait()
        return await super().send(chat_id, message)


async def slow_principal(loaded: Engine, lease: timedelta = LEASE
                         ) -> tuple[SlowChat, Inbox]:
    """A running service whose chat "slow" is TH-CATBI's principal, its channel now held."""
    memory = SlowChat()
    inbox = Inbox(loaded, Core(loaded, Settings.defaults().config()), {"telegram": memory},
                  lease=lease)
    inbox.start()
    await memory.start(inbox.receive)
    await memory.push("slow", f"/start {invite_code(loaded, 'TH-CATBI', TODAY)}")
    await memory.wait(1, "slow")
    memory.flowing.clear()
    return memory, inbox


async def test_a_slow_chat_holds_up_its_own_answers_only_and_keeps_their_order(
        loaded: Engine) -> None:
    memory, inbox = await slow_principal(loaded)
    await memory.push("slow", "xong 1.1")
    await asyncio.sleep(0.2)  # its wave handled, its answer held on the way
    await memory.push("slow", "xong 1.2")
    await memory.push("fast", "xin chào")
    await memory.wait(1, "fast", timeout=5)  # not behind the slow chat's answers
    assert len(memory.to("slow")) == 1
    memory.flowing.set()
    answers = await memory.wait(3, "slow", timeout=5)
    assert "1.1 — Hoàn thành" in answers[1].text and "1.2 — Hoàn thành" in answers[2].text
    await inbox.stop()
    with session_scope(loaded) as session:
        assert {r.state for r in rows(session)} == {InboxState.ANSWERED}


async def test_an_answer_held_up_past_its_lease_goes_out_once(loaded: Engine) -> None:
    memory, inbox = await slow_principal(loaded, lease=timedelta(seconds=0.2))
    await memory.push("slow", "xong 1.1")
    await asyncio.sleep(1.0)  # the lease ran out while the answer waited on its way
    memory.flowing.set()
    await memory.wait(2, "slow")
    await asyncio.sleep(0.5)
    await inbox.stop()
    assert len(memory.to("slow")) == 2
