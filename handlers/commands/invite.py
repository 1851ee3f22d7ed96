"""/moi MÃ_ĐƠN_VỊ | SỐ_ĐIỆN_THOẠI (/mamoi): a one-time invite code for a contact (admins;
`nhacviec invite` prints the same message)."""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Session

from handlers.commands import texts
from handlers.config import Config
from handlers.context import Context
from handlers.dates import day_short
from handlers.messages import Reply
from storage.contacts import contact_by_phone, contacts_of_unit
from storage.invites import create_invite
from storage.models import Contact, Role, Unit
from storage.units import unit_by_code


def run(ctx: Context) -> Reply:
    key = ctx.args.split()[0] if ctx.args else ""
    targets: list[Contact] = []
    phone = re.sub(r"\D", "", key)
    if phone and len(phone) >= 9:
        found = contact_by_phone(ctx.session, phone=phone)
        targets = [found] if found else []
    elif key:
        unit = unit_by_code(ctx.session, code=key)
        if unit is not None:
            targets = contacts_of_unit(ctx.session, unit_id=unit.id or 0,
                                       role=Role.PRINCIPAL) or \
                contacts_of_unit(ctx.session, unit_id=unit.id or 0)
    if not targets:
        return ctx.reply.say(texts.NO_CONTACT)
    for target in targets:
        ctx.reply.say(invite_message(ctx.session, target, ctx.now, ctx.config))
    return ctx.reply


def invite_message(session: Session, contact: Contact, now: datetime, config: Config) -> str:
    """A fresh invite code for *contact*, with the channels' deep links."""
    invite = create_invite(session, contact_id=contact.id or 0, days=config.invite_days,
                           now=now)
    unit = session.get(Unit, contact.unit_id)
    links = [template.format(code=invite.code) for template in config.deep_links.values()]
    expires = day_short(invite.expires_at.astimezone(config.tz).date())
    return texts.invite_text(contact.name, unit.code if unit else "", invite.code, expires,
                             links)
