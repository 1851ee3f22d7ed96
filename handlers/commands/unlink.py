"""/huylienket: revoke chat links. Alone: the person unlinks this chat from themselves.
With a phone number or a unit code (admins): that person's, or that unit's people's, links
are revoked and their unused invite codes expire. `nhacviec unlink` calls the same words."""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Session

from handlers import texts
from handlers.messages import Incoming, Reply
from storage.invites import unlink, unlink_contact
from storage.models import Contact, Role
from storage.queries import contact_by_phone, contacts_of_unit, unit_by_code


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


def unlink_command(session: Session, msg: Incoming, contact: Contact, args: str,
                   now: datetime, reply: Reply) -> Reply:
    key = args.split()[0] if args else ""
    if not key:
        unlink(session, channel=msg.channel, chat_id=msg.sender)
        return reply.say(texts.UNLINKED_SELF)
    if contact.role != Role.ADMIN:
        return reply.say(texts.NOT_ALLOWED)
    return reply.say(unlink_people(session, key, now)[1])
