"""/nghi 1/7 31/8 Nghỉ hè (/nghile): no reminders to anyone in between (escalation to
staff continues)."""

from __future__ import annotations

from datetime import timedelta

from handlers.commands import texts
from handlers.context import Context
from handlers.dates import day_short, parse_day
from handlers.messages import Reply
from storage.pauses import add_pause


def run(ctx: Context) -> Reply:
    parts = ctx.args.split(maxsplit=2)
    if len(parts) < 2:
        return ctx.reply.say(texts.USAGE_BREAK)
    today = ctx.now.date()
    start, end = parse_day(parts[0], today), parse_day(parts[1], today)
    if start is None or end is None or end < start or end - start > timedelta(days=366):
        return ctx.reply.say(texts.USAGE_BREAK)
    add_pause(ctx.session, contact_id=None, starts_on=start, ends_on=end,
              reason=parts[2] if len(parts) > 2 else "")
    return ctx.reply.say(texts.break_set(day_short(start), day_short(end)))
