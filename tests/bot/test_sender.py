"""Draining the outbox: sent once, retried with backoff, failed for good, lease after a
crash."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.sender import MAX_ATTEMPTS, Sender
from bot.service import Service
from bot.settings import Settings
from bot.transports.base import Reason, RetryLater, Undeliverable
from bot.transports.memory import MemoryTransport
from storage.contacts import contacts
from storage.db import session_scope
from storage.imports import link_identity
from storage.models import Outbox, OutboxState
from storage.outbox import LEASE, NewMessage, claim, failed, queue

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2024, 3, 22, 7, 30, tzinfo=TZ)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def setup(loaded: Engine):  # noqa: ANN201
    clock, transport = Clock(), MemoryTransport("telegram")
    with session_scope(loaded) as session:
        people = [c for c, _ in contacts(session)][:5]
        queue(session, [NewMessage(key=f"k{i}", kind="digest", contact_id=c.id,
                                   channel="telegram", chat_id=f"chat{i}", text=f"tin {i}")
                        for i, c in enumerate(people)], now=clock.now)
    sender = Sender(loaded, {"telegram": transport}, clock, wait_for_pause=0)
    return loaded, clock, transport, sender


def rows(engine: Engine) -> dict[str, Outbox]:
    with session_scope(engine) as session:
        return {r.key: r for r in session.exec(select(Outbox))}


async def test_sends_each_row_once(setup) -> None:
    engine, _, transport, sender = setup
    result = await sender.drain()
    assert result.sent == 5 and len(transport.sent) == 5
    assert (await sender.drain()).sent == 0
    assert all(r.state == OutboxState.SENT and r.message_id for r in rows(engine).values())


async def test_retry_after_pauses_the_whole_channel(setup) -> None:
    engine, clock, transport, sender = setup
    transport.script["chat0"] = [RetryLater("429", retry_after=30)]
    result = await sender.drain()
    assert (result.sent, result.retried) == (0, 5)  # the others are held, not sent into a 429
    held = rows(engine)
    assert all(r.state == OutboxState.PENDING for r in held.values())
    assert held["k0"].send_after == clock.now + timedelta(seconds=30)
    assert all(r.send_after >= clock.now + timedelta(seconds=29) for r in held.values())
    assert (await sender.drain()).sent == 0  # not yet
    clock.now += timedelta(seconds=31)
    assert (await sender.drain()).sent == 5
    assert [c for c, _ in transport.sent].count("chat0") == 1


async def test_blocked_user_fails_for_good(setup) -> None:
    engine, _, transport, sender = setup
    transport.script["chat1"] = [Undeliverable(Reason.BLOCKED, "403")]
    result = await sender.drain()
    assert (result.sent, result.failed) == (4, 1)
    with session_scope(engine) as session:
        (row,) = failed(session)
        assert row.key == "k1" and "blocked" in row.last_error


async def test_gives_up_after_max_attempts(setup) -> None:
    engine, clock, transport, sender = setup
    transport.script["chat2"] = [OSError("connection refused")] * (MAX_ATTEMPTS + 5)
    for _ in range(MAX_ATTEMPTS + 1):
        await sender.drain()
        clock.now += timedelta(hours=2)
    assert rows(engine)["k2"].state == OutboxState.FAILED
    assert rows(engine)["k2"].attempts == MAX_ATTEMPTS


async def test_a_crash_mid_send_resends_only_after_the_lease(setup) -> None:
    engine, clock, transport, sender = setup
    with session_scope(engine) as session:
        claimed = claim(session, now=clock.now, limit=1)  # then the process dies
    assert (await sender.drain()).sent == 4
    clock.now += LEASE + timedelta(seconds=1)
    assert (await sender.drain()).sent == 1
    assert [c for c, _ in transport.sent].count(claimed[0].chat_id) == 1


def test_service_plans_only_on_working_days_after_the_send_time(loaded: Engine) -> None:
    clock = Clock()
    with session_scope(loaded) as session:
        contact = next(c for c, u in contacts(session) if u.code == "TH-CATBI")
        link_identity(session, contact_id=contact.id, channel="telegram", chat_id="p1")
    service = Service(loaded, {"telegram": MemoryTransport("telegram")},
                      Settings.defaults(send_time="07:30").config(clock))
    clock.now = datetime(2024, 3, 22, 7, 0, tzinfo=TZ)
    assert service.plan() == 0
    clock.now = datetime(2024, 3, 23, 9, 0, tzinfo=TZ)  # Saturday
    assert service.plan() == 0
    clock.now = datetime(2024, 3, 22, 7, 31, tzinfo=TZ)
    assert service.plan() == 1
    assert service.plan() == 0
