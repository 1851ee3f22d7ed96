"""A conversation harness: the real core on a migrated database with a fixed clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.settings import Settings
from handlers.core import Core
from handlers.messages import Incoming, Outgoing
from handlers.reminders.queue import plan_and_queue
from storage.contacts import contact_by_phone, contacts_of_unit
from storage.db import session_scope
from storage.invites import create_invite
from storage.models import Outbox, Role
from storage.units import unit_by_code

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2024, 3, 20, 9, 0, tzinfo=TZ))

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Chat:
    core: Core
    chat_id: str
    channel: str = "telegram"

    def send(self, text: str = "", **kwargs: Any) -> list[Outgoing]:
        return self.core.handle(Incoming(self.channel, self.chat_id, text, **kwargs))

    def say(self, text: str = "", **kwargs: Any) -> str:
        """All answers' text, joined."""
        return "\n".join(m.text for m in self.send(text, **kwargs))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def core(loaded: Engine, clock: Clock) -> Core:
    return Core(loaded, Settings.defaults(telegram_bot_username="nhacviec_bot").config(clock))


def invite_code(engine: Engine, who: str, clock: Clock) -> str:
    """An invite code for a unit's first contact of the right role, or a phone's owner."""
    with session_scope(engine) as session:
        if who[0].isdigit():
            contact = contact_by_phone(session, phone=who)
        else:
            unit = unit_by_code(session, code=who)
            role = Role.STAFF if who == "PGD" else Role.PRINCIPAL
            contact = contacts_of_unit(session, unit_id=unit.id, role=role)[0]
        return create_invite(session, contact_id=contact.id, days=14, now=clock.now).code


@pytest.fixture
def linked(core: Core, loaded: Engine, clock: Clock):  # noqa: ANN201
    """linked("TH-CATBI") → a Chat already onboarded as that school's principal."""
    chats: dict[tuple[str, str, str], Chat] = {}

    def make(who: str, chat_id: str | None = None, channel: str = "telegram") -> Chat:
        key = (who, chat_id or f"chat-{who}", channel)
        if key not in chats:
            chat = Chat(core, key[1], channel)
            answer = chat.say(f"/start {invite_code(loaded, who, clock)}")
            assert "Kính chào" in answer
            chats[key] = chat
        return chats[key]
    return make


RULES = Settings.defaults().config().rules


def at(day: str, hm: str = "07:30") -> datetime:
    return datetime.fromisoformat(f"{day} {hm}").replace(tzinfo=TZ)


def queue_on(engine: Engine, day: str) -> int:
    with session_scope(engine) as session:
        return plan_and_queue(session, at(day), RULES)


def digests(engine: Engine) -> list[Outbox]:
    with session_scope(engine) as session:
        return list(session.exec(select(Outbox).where(Outbox.kind == "digest")
                                 .order_by(Outbox.id)))
