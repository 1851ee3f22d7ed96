"""/start MÃ_MỜI (/batdau): link the person writing (never a group) to the contact an invite
code was made for."""

from __future__ import annotations

from handlers import texts as common
from handlers.commands import texts
from handlers.context import Context
from handlers.messages import Reply
from storage.invites import MAX_WRONG_PER_HOUR, redeem, wrong_guesses
from storage.models import Unit


def run(ctx: Context) -> Reply:
    ctx.forget()  # a link changes who this chat is
    session, msg = ctx.session, ctx.msg
    if ctx.contact is not None:
        unit = session.get(Unit, ctx.contact.unit_id)
        return ctx.reply.say(texts.already_linked(ctx.contact.name, unit.name if unit else ""))
    code = ctx.args.split()[0] if ctx.args else ""
    if not code:
        return ctx.reply.say(common.stranger(ctx.office))
    if not msg.private:  # a group must never become someone: only a person links
        return ctx.reply.say(common.PRIVATE_ONLY)
    if wrong_guesses(session, channel=msg.channel, chat_id=msg.sender,
                     now=ctx.now) >= MAX_WRONG_PER_HOUR:
        return ctx.reply.say(texts.too_many_guesses(ctx.office.short_name))
    linked = redeem(session, code=code, channel=msg.channel, chat_id=msg.sender, now=ctx.now)
    if linked is None:
        return ctx.reply.say(texts.wrong_code(ctx.office.short_name))
    unit = session.get(Unit, linked.unit_id)
    return ctx.reply.say(texts.welcome(linked.name, unit.name if unit else ""))
