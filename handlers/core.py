"""The conversation core: who wrote, what they may do, and which handler answers.

`Core.handle(Incoming) -> list[Outgoing]` is the whole contract with the transports. Each
message is one database transaction, committed before the answer is returned, so a
"Đã ghi nhận" is only ever said about something that is stored.

A chat command is one module in `handlers/commands/` and one line in `COMMANDS` below.
Anything that is not a command is a reply about tasks (`handlers/replies/`).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

from handlers import texts
from handlers.cache import TTLCache
from handlers.commands import (
    breaks,
    help,
    inspection,
    invite,
    links,
    notice,
    periods,
    planfile,
    remind,
    report,
    request,
    start,
    tasks,
    undo,
    unlink,
    web,
)
from handlers.commands import texts as command_texts
from handlers.config import Config
from handlers.context import Context
from handlers.messages import ActionKind, Incoming, Outgoing, Reply
from handlers.replies.status import StatusUpdater
from storage.contacts import contacts_by_identity
from storage.db import session_scope
from storage.models import Contact, Plan, Role, State, Unit
from storage.plans import active_plan

log = logging.getLogger(__name__)


class Access(IntEnum):
    """Who may use a command (each level includes the ones above it)."""

    ANYONE = 0  # even a chat not linked to anyone
    LINKED = 1  # any linked person
    STAFF = 2  # the office's staff and admins
    ADMIN = 3


@dataclass(frozen=True)
class Command:
    name: str
    aliases: tuple[str, ...]
    access: Access
    handler: Callable[[Context], Reply]


COMMANDS = (
    Command("start", ("batdau",), Access.ANYONE, start.run),
    Command("help", ("giup", "huongdan", "trogiup"), Access.LINKED, help.run),
    Command("links", ("lienket", "taikhoan"), Access.LINKED, links.run),
    Command("tasks", ("nhiemvu", "nv", "viec"), Access.LINKED, tasks.run),
    Command("undo", ("hoantac",), Access.LINKED, undo.run),
    Command("unlink", ("huylienket",), Access.LINKED, unlink.run),
    Command("invite", ("moi", "mamoi"), Access.ADMIN, invite.run),
    Command("report", ("baocao", "bc", "tonghop"), Access.STAFF, report.run),
    Command("remind", ("nhacnho", "nhac"), Access.STAFF, remind.run),
    Command("request", ("yeucau", "yeucaubaocao"), Access.STAFF, request.run),
    Command("notice", ("thongbao", "tb"), Access.STAFF, notice.run),
    Command("break", ("nghi", "nghile"), Access.STAFF, breaks.run),
    Command("inspect", ("kiemtra",), Access.STAFF, inspection.run),
    Command("close", ("dongky", "ketthucky"), Access.STAFF, periods.run),
    Command("web", ("bang", "bangtheodoi"), Access.LINKED, web.run),
)
BY_NAME = {name: c for c in COMMANDS for name in (c.name, *c.aliases)}
COMMAND = re.compile(r"^/(\w*)\s*(.*)$", re.DOTALL)
ACTION_WORDS = {State.DONE: "xong", State.IN_PROGRESS: "đang làm",
                State.BLOCKED: "gặp khó khăn", State.NOT_STARTED: "chưa xong"}


def menu() -> list[tuple[str, str]]:
    """(what to type, what it does) for a chat app's command menu: each listed command by
    its first Vietnamese alias, in the order of the table."""
    listed = [c for c in COMMANDS if c.name in command_texts.MENU]
    order = list(command_texts.MENU)
    return [(c.aliases[0], command_texts.MENU[c.name])
            for c in sorted(listed, key=lambda c: order.index(c.name))]


def _plain_reply(msg: Incoming) -> bool:
    """A status reply typed or tapped: it changes records, never who is linked."""
    return (msg.action is None or msg.action.kind == ActionKind.STATUS) and not msg.file \
        and not msg.text.lstrip().startswith("/")


def access_of(contact: Contact | None) -> Access:
    if contact is None:
        return Access.ANYONE
    return {Role.ADMIN: Access.ADMIN, Role.STAFF: Access.STAFF}.get(contact.role, Access.LINKED)


class Core:
    def __init__(self, engine: Engine, config: Config) -> None:
        self.engine = engine
        self.config = config
        self._units: TTLCache[int, Unit] = TTLCache()
        self._plans: TTLCache[str, Plan] = TTLCache(ttl=10.0)

    def forget(self) -> None:
        """Drop cached people, units and plan (after this process changed them)."""
        for cache in (self._units, self._plans):
            cache.clear()

    def handle(self, msg: Incoming) -> list[Outgoing]:
        return self.handle_many([msg])[0]

    def handle_many(self, messages: list[Incoming]) -> list[list[Outgoing]]:
        """Several messages in one transaction: one durable commit for all (group commit).
        Answers are returned only after the commit. If any message fails, the batch is
        rolled back and each message is handled again on its own, so one bad message
        changes nothing of the others."""
        try:
            with session_scope(self.engine) as session:
                answers = self.handle_in(session, messages)
            return answers
        except Exception:
            if len(messages) == 1:
                log.exception("message from %s:%s failed", messages[0].channel,
                              messages[0].chat_id)
                self.forget()
                return [[Outgoing(texts.FAILED)]]
            return [self.handle_many([m])[0] for m in messages]

    def handle_in(self, session: Session, messages: list[Incoming]) -> list[list[Outgoing]]:
        """The answers to *messages*, their changes made in the caller's transaction (the
        inbox commits them together with the answers). Raises on any failure.

        The people behind the messages are read in this transaction, so a revoked link
        stops working at once, in every process: for the whole wave in one query, and again
        for the rest of it after any message that is not a plain reply (a command may link
        or unlink someone)."""
        people: dict[tuple[str, str], Contact] | None = None
        answers = []
        for i, msg in enumerate(messages):
            if people is None:  # the rest of the wave, as it stands now
                people = contacts_by_identity(session, [(m.channel, m.sender)
                                                        for m in messages[i:]])
            answers.append(self._dispatch(session, msg, people.get((msg.channel, msg.sender))
                                          ).messages)
            if not _plain_reply(msg):
                people = None
        return answers

    # -- identity, authorization, routing --------------------------------------------------

    def _dispatch(self, session: Session, msg: Incoming, contact: Contact | None) -> Reply:
        """*contact*: the person who wrote, not the chat (a group is nobody)."""
        if "\x00" in msg.text:  # no database stores it (PostgreSQL refuses it in text)
            msg = replace(msg, text=msg.text.replace("\x00", ""))
        unit = None
        if contact is not None:
            unit = self._units.get(contact.unit_id, lambda: _detached(
                session, session.get(Unit, contact.unit_id)))
        ctx = Context(session, self.config, msg, self.config.now(), contact=contact, unit=unit,
                      plan=lambda: self._plans.get("active", lambda: _detached(
                          session, active_plan(session))),
                      forget=self.forget)
        if msg.unsupported:
            return ctx.reply.say(texts.UNSUPPORTED)
        if msg.action is not None and msg.action.kind == ActionKind.IMPORT:  # "Nhập", "Huỷ"
            if access_of(contact) < Access.STAFF:
                return ctx.reply.say(texts.not_allowed(ctx.office) if contact
                                     else texts.stranger(ctx.office))
            return planfile.answer(ctx, msg.action)
        if access_of(contact) >= Access.STAFF and planfile.is_plan_file(msg):
            return planfile.preview(ctx)
        text = msg.text.strip()
        if msg.action is not None and msg.action.kind == ActionKind.UNDO:
            text = "/hoantac"
        elif msg.action is not None and msg.action.kind == ActionKind.STATUS:
            text = f"{msg.action.code} {ACTION_WORDS[msg.action.state or State.DONE]}"
        found = COMMAND.match(text)
        if found:
            command = BY_NAME.get(found.group(1).lower())
            if command is None:
                return ctx.reply.say(texts.NOT_UNDERSTOOD if contact
                                     else texts.stranger(ctx.office))
            if command.access > access_of(contact):
                return ctx.reply.say(texts.not_allowed(ctx.office) if contact
                                     else texts.stranger(ctx.office))
            ctx.args = found.group(2).strip()
            return command.handler(ctx)
        if contact is None or unit is None:
            return ctx.reply.say(texts.stranger(ctx.office))
        return self._status(ctx, text)

    def _status(self, ctx: Context, text: str) -> Reply:
        """A reply about tasks (handlers/replies/), for one's own school — or, for staff,
        "TH-CATBI xong 1.1" on a school's behalf."""
        updater = StatusUpdater(ctx.session, self.config, ctx.person, ctx.school, ctx.msg,
                                ctx.now, batch=uuid.uuid4().hex, plan=ctx.plan())
        return updater.handle_message(text, ctx.reply)


T = TypeVar("T")


def _detached(session: Session, obj: T | None) -> T | None:
    """A loaded row the cache may keep beyond this session (read-only from then on)."""
    if obj is not None:
        session.expunge(obj)
    return obj
