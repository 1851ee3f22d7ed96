"""/lienket (/taikhoan): the channels this person is linked on."""

from __future__ import annotations

from handlers.commands import texts
from handlers.context import Context
from handlers.messages import Reply
from storage.contacts import identities_of


def run(ctx: Context) -> Reply:
    channels = [i.channel for i in identities_of(ctx.session, contact_id=ctx.person.id or 0)]
    return ctx.reply.say(texts.identities_text(ctx.person.name, ctx.school.name, channels))
