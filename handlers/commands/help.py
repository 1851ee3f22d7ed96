"""/giup (/help, /huongdan, /trogiup): how to answer, and the commands this person may use."""

from __future__ import annotations

from handlers.commands import texts
from handlers.context import Context
from handlers.messages import Reply
from storage.models import Role


def run(ctx: Context) -> Reply:
    text = texts.HELP_PRINCIPAL + (texts.HELP_STAFF if ctx.staff else "")
    return ctx.reply.say(text + (texts.HELP_ADMIN if ctx.person.role == Role.ADMIN else ""))
