"""The conversation core: who wrote, what they said, what they may do — and the answer.

`Core.handle(Incoming) -> list[Outgoing]` is the whole contract with the transports. Each
message is one database transaction, committed before the answer is returned, so a
"Đã ghi nhận" is only ever said about something that is stored.
"""

from __future__ import annotations

import logging
import re
import uuid
from datetime import datetime
from functools import lru_cache
from typing import TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

from handlers import texts
from handlers.cache import TTLCache
from handlers.config import Config
from handlers.messages import Incoming, Outgoing, Reply
from handlers.replies.status import StatusUpdater
from storage.db import session_scope
from storage.invites import MAX_WRONG_PER_HOUR, create_invite, redeem, wrong_guesses
from storage.models import Contact, Plan, Role, Unit
from storage.queries import (
    active_plan,
    contact_by_identity,
    contact_by_phone,
    contacts_of_unit,
    identities_of,
    unit_by_code,
)

log = logging.getLogger(__name__)
COMMAND = re.compile(r"^/([a-z_]+)(?:@\w+)?\s*(.*)$", re.DOTALL)
UNIT_PREFIX = re.compile(r"^\s*([A-Za-z]{2,4}-[A-Za-z0-9_-]+|PGD)\b[\s:,-]*(.*)$", re.DOTALL)
ALIASES = {
    "start": "start", "batdau": "start",
    "giup": "help", "help": "help", "huongdan": "help", "trogiup": "help",
    "nhiemvu": "tasks", "nv": "tasks", "viec": "tasks",
    "baocao": "report", "bc": "report", "tonghop": "report",
    "lienket": "links", "taikhoan": "links",
    "hoantac": "undo", "undo": "undo",
    "moi": "invite", "mamoi": "invite",
    "nhacnho": "remind", "nhac": "remind",
    "yeucau": "request", "yeucaubaocao": "request",
    "thongbao": "notice", "tb": "notice",
    "nghi": "break", "nghile": "break",
    "kiemtra": "inspect",
    "dongky": "close", "ketthucky": "close",
}
STAFF_ONLY = {"report", "remind", "request", "notice", "break", "inspect", "close"}


class Core:
    def __init__(self, engine: Engine, config: Config | None = None) -> None:
        self.engine = engine
        self.config = config or Config()
        self._contacts: TTLCache[tuple[str, str], Contact] = TTLCache()
        self._units: TTLCache[int, Unit] = TTLCache()
        self._plans: TTLCache[str, Plan] = TTLCache(ttl=10.0)

    def forget(self) -> None:
        """Drop cached people, units and plan (after this process changed them)."""
        for cache in (self._contacts, self._units, self._plans):
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
                answers = []
                for msg in messages:
                    answers.append(self._dispatch(session, msg, Reply()).messages)
            return answers
        except Exception:
            if len(messages) == 1:
                log.exception("message from %s:%s failed", messages[0].channel,
                              messages[0].chat_id)
                self.forget()
                return [[Outgoing(texts.FAILED)]]
            return [self.handle_many([m])[0] for m in messages]

    # -- routing -------------------------------------------------------------------------

    def _dispatch(self, session: Session, msg: Incoming, reply: Reply) -> Reply:
        now = self.config.now()
        text = (msg.text or "").strip()
        if msg.callback:
            text = _callback_text(msg.callback)
        command = COMMAND.match(text.lower() if text.startswith("/") else "")
        name = ALIASES.get(command.group(1), "") if command else ""
        args = text[command.end(1):].strip() if command else ""
        args = re.sub(r"^@\w+\s*", "", args)
        contact = self._contacts.get((msg.channel, msg.chat_id), lambda: _detached(
            session, contact_by_identity(session, channel=msg.channel, chat_id=msg.chat_id)))

        if name == "start":
            self.forget()
            return self._start(session, msg, contact, args, now, reply)
        if contact is None:
            return reply.say(texts.STRANGER)
        unit = self._units.get(contact.unit_id,
                               lambda: _detached(session, session.get(Unit, contact.unit_id)))
        assert unit is not None
        staff = contact.role in (Role.STAFF, Role.ADMIN)
        if name == "help":
            text_ = texts.HELP_PRINCIPAL + (texts.HELP_STAFF if staff else "")
            return reply.say(text_ + (texts.HELP_ADMIN if contact.role == Role.ADMIN else ""))
        if name == "links":
            channels = [i.channel for i in identities_of(session, contact_id=contact.id or 0)]
            return reply.say(texts.identities_text(contact.name, unit.name, channels))
        if name == "invite":
            if contact.role != Role.ADMIN:
                return reply.say(texts.NOT_ALLOWED)
            return self._invite(session, args, now, reply)
        if name in STAFF_ONLY and not staff:
            return reply.say(texts.NOT_ALLOWED)
        if name == "report":
            from handlers.reports.summary import summary_reply

            return summary_reply(session, args, now, self.config, reply)
        if name == "close":
            from handlers.commands.periods import close

            return close(session, args, contact.id, now, reply)
        if name in ("remind", "request", "notice", "break", "inspect"):
            from handlers.commands import staff as sc

            if name == "inspect":
                return sc.inspect(session, args, contact, now, reply)
            if name == "remind":
                return sc.remind_now(session, args, now, self.config, reply)
            if name == "request":
                return sc.request_report(session, args, contact, now, reply)
            if name == "notice":
                return sc.notice(session, args, contact, now, reply)
            return sc.add_break(session, args, now, reply)
        if name == "tasks":
            target = unit
            if args and staff:
                target = unit_by_code(session, code=args.split()[0]) or unit
            from handlers.commands.tasks import tasks_text

            return reply.say(tasks_text(session, target, now.date()))
        if command and name not in ("undo",):
            return reply.say(texts.NOT_UNDERSTOOD)

        plan = self._plans.get("active", lambda: _detached(session, active_plan(session)))
        updater = StatusUpdater(session, self.config, contact, unit, msg, now,
                                batch=uuid.uuid4().hex, plan=plan)
        if name == "undo":
            return updater.undo(reply)
        body = text
        prefix = UNIT_PREFIX.match(text)
        if prefix:
            target = unit_by_code(session, code=prefix.group(1))
            if target is not None and target.id != unit.id and not staff:
                return reply.say(texts.OTHER_SCHOOL)
            if target is not None:
                updater.on_behalf_of(target)
                body = prefix.group(2)
        return updater.handle_text(body, reply)

    # -- onboarding ----------------------------------------------------------------------

    def _start(self, session: Session, msg: Incoming, contact: Contact | None, code: str,
               now: datetime, reply: Reply) -> Reply:
        if contact is not None:
            unit = session.get(Unit, contact.unit_id)
            return reply.say(texts.already_linked(contact.name, unit.name if unit else ""))
        if not code:
            return reply.say(texts.STRANGER)
        if wrong_guesses(session, channel=msg.channel, chat_id=msg.chat_id,
                         now=now) >= MAX_WRONG_PER_HOUR:
            return reply.say(texts.TOO_MANY_GUESSES)
        linked = redeem(session, code=code.split()[0], channel=msg.channel,
                        chat_id=msg.chat_id, now=now)
        if linked is None:
            return reply.say(texts.WRONG_CODE)
        unit = session.get(Unit, linked.unit_id)
        return reply.say(texts.welcome(linked.name, unit.name if unit else ""))

    def _invite(self, session: Session, args: str, now: datetime, reply: Reply) -> Reply:
        key = args.split()[0] if args else ""
        targets: list[Contact] = []
        phone = re.sub(r"\D", "", key)
        if phone and len(phone) >= 9:
            found = contact_by_phone(session, phone=phone)
            targets = [found] if found else []
        elif key:
            unit = unit_by_code(session, code=key)
            if unit is not None:
                targets = contacts_of_unit(session, unit_id=unit.id or 0,
                                           role=Role.PRINCIPAL) or \
                    contacts_of_unit(session, unit_id=unit.id or 0)
        if not targets:
            return reply.say("Không tìm thấy người liên hệ. Cú pháp: /moi MÃ_ĐƠN_VỊ hoặc "
                             "/moi SỐ_ĐIỆN_THOẠI.")
        for target in targets:
            reply.say(self.invite_message(session, target, now))
        return reply

    def invite_message(self, session: Session, contact: Contact, now: datetime) -> str:
        from handlers.dates import day_short

        invite = create_invite(session, contact_id=contact.id or 0,
                               days=self.config.invite_days, now=now)
        unit = session.get(Unit, contact.unit_id)
        links = [template.format(code=invite.code)
                 for template in self.config.deep_links.values()]
        expires = day_short(invite.expires_at.astimezone(self.config.tz).date())
        return texts.invite_text(contact.name, unit.code if unit else "", invite.code, expires,
                                 links)


T = TypeVar("T")


def _detached(session: Session, obj: T | None) -> T | None:
    """A loaded row the cache may keep beyond this session (read-only from then on)."""
    if obj is not None:
        session.expunge(obj)
    return obj


def _callback_text(data: str) -> str:
    """Button data → the words a person would have typed."""
    parts = data.split(":")
    if parts[0] == "st" and len(parts) == 3:
        words = {"done": "xong", "progress": "đang làm", "blocked": "gặp khó khăn"}
        return f"{parts[1]} {words.get(parts[2], '')}".strip()
    if parts[0] == "undo":
        return "hoàn tác"
    return data


def button_rows(codes: list[str]) -> list[list[list[str]]]:
    """Quick replies for a reminder, as stored with it: [label, data] per button, a row per
    task (done / in progress / blocked). Read-only: shared between digests."""
    return _button_rows(tuple(codes[:8]))


@lru_cache(maxsize=4096)
def _button_rows(codes: tuple[str, ...]) -> list[list[list[str]]]:
    return [[[f"✅ Xong {c}", f"st:{c}:done"], [f"⏳ Đang làm {c}", f"st:{c}:progress"],
             [f"⚠ Khó khăn {c}", f"st:{c}:blocked"]] for c in codes]
