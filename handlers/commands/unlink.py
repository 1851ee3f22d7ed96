"""/huylienket (/unlink): revoke chat links. Alone: the person unlinks this chat from
themselves. With a phone number or a unit code (admins only): that person's, or that
unit's people's, links are revoked and their unused invite codes expire. `nhacviec unlink`
calls the same `unlink_people`."""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Session

from handlers import texts as common
from handlers.commands import texts
from handlers.context import Context
from handlers.messages import Reply
from storage.contacts import contact_by_phone, contacts_of_unit
from storage.invites import unlink, unlink_contact
from storage.models import Contact, Role
from storage.units import unit_by_code


def people(session: Session, key: str) -> list[Contact]:
    """The contact with this phone number, or every contact of the unit with this code."""
    phone = re.sub(r"\D", "", key)
    if phone and len(phone) >= 9:
        found = contact_by_phone(session, phone=phone)
        return [found] if found else []
    unit = unit_by_code(session, code=key.strip())
    return contacts_of_unit(session, unit_id=unit.id or 0) if unit is not None else []


def unlink_people(session: Session, key: str, now: datetime) -> tuple[bool, str]:
    """(found anyone, the words to say)."""
    targets = people(session, key)
    if not targets:
        return False, texts.UNLINK_NOBODY
    count = sum(unlink_contact(session, contact_id=c.id or 0, now=now) for c in targets)
    return True, texts.unlinked([c.name for c in targets], count)


def run(ctx: Context) -> Reply:
    key = ctx.args.split()[0] if ctx.args else ""
    if not key:
        unlink(ctx.session, channel=ctx.msg.channel, chat_id=ctx.msg.sender)
        ctx.forget()
        return ctx.reply.say(texts.unlinked_self(ctx.office.short_name))
    if ctx.person.role != Role.ADMIN:
        return ctx.reply.say(common.not_allowed(ctx.office))
    return ctx.reply.say(unlink_people(ctx.session, key, ctx.now)[1])
