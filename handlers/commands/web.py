"""/web (/bang): the web view, by a button (Telegram: the Mini App) and a signed link."""

from __future__ import annotations

from handlers.commands import texts
from handlers.context import Context
from handlers.dates import day_short
from handlers.messages import Button, Reply
from handlers.web_links import person_url


def run(ctx: Context) -> Reply:
    if not ctx.config.web_url:
        return ctx.reply.say(texts.WEB_NOT_ENABLED)
    url, expires = person_url(ctx.session, ctx.config, ctx.person.id or 0, ctx.now)
    return ctx.reply.say(texts.web_link_text(day_short(expires.date())),
                         buttons=((Button(texts.WEB_OPEN, "", url=url),),))
