"""/yeucau 15/4 Báo cáo … (/yeucaubaocao): an ad-hoc report every school owes by a date."""

from __future__ import annotations

from handlers.commands import texts
from handlers.context import Context
from handlers.dates import day_short, day_weekday, parse_day
from handlers.messages import Reply
from handlers.reminders import texts as reminder_texts
from handlers.reminders.queue import principals
from storage.outbox import NewMessage, queue
from storage.periods import add_adhoc_period
from storage.plans import active_plan
from storage.textnorm import fold


def run(ctx: Context) -> Reply:
    today = ctx.now.date()
    plan = active_plan(ctx.session)
    parts = ctx.args.split(maxsplit=1)
    due = parse_day(parts[0], today) if parts else None
    if plan is None or due is None or len(parts) < 2 or due < today:
        return ctx.reply.say(texts.USAGE_REQUEST)
    name = parts[1].strip()
    if not fold(name).startswith(fold(texts.ADHOC_PREFIX)):
        name = texts.adhoc_name(name)
    period = add_adhoc_period(ctx.session, plan_id=plan.id or 0, name=name, due_on=due,
                              request=ctx.args, contact_id=ctx.person.id, today=today)
    text = reminder_texts.adhoc_request(name, day_weekday(due), ctx.person.name)
    messages = [NewMessage(key=f"adhoc:{period.id}:{r.contact_id}", kind="notice",
                           contact_id=r.contact_id, channel=r.channel, chat_id=r.chat_id,
                           text=text, items=[period.code]) for r in principals(ctx.session)]
    added = queue(ctx.session, messages, now=ctx.now)
    return ctx.reply.say(texts.request_queued(name, period.code, day_short(due), added))
